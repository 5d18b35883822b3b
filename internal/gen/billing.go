package gen

import (
	"context"
	"strconv"
)

var (
	activeFlags = []string{"Sí", "Sí", "Sí", "Sí", "Sí", "Sí", "Sí", "Sí", "No", "SI"}
	halfQty     = []int64{50, 150, 250} // hundredths
	totalDeltas = []int64{1, -1, 100, -100, 1000, 19000, -5000, 50}
)

// productCategoryWeights are relative weights of productCategories.
var productCategoryWeights = []int{35, 25, 15, 15, 10}

func (g *Generator) pickCategory() int {
	u := g.intn(100)
	for k, w := range productCategoryWeights {
		if u < w {
			return k
		}
		u -= w
	}
	return 0
}

func (g *Generator) productCode(i int) string {
	return productCategories[g.prodCat[i]].prefix + "-" + pad(i+1, g.w[tiProducts])
}

// price draws a price in [lo, hi] pesos, a multiple of 100.
func (g *Generator) price(lo, hi int) int64 {
	return int64(lo/100+g.intn((hi-lo)/100+1)) * 100
}

// productos.csv
func (g *Generator) genProducts(ctx context.Context) error {
	tr, err := g.open(tblProducts)
	if err != nil {
		return err
	}
	defer tr.close()
	n := g.rows[tiProducts]
	g.prodCat = make([]uint8, n)
	g.prodPrice = make([]int64, n)
	g.prodDup = make([]bool, n)
	const kDupCode = 1
	rates := []float64{0.02}
	for i := range n {
		if err := checkCtx(ctx, i); err != nil {
			return err
		}
		kind := g.pick(i, n, rates)
		cat := g.pickCategory()
		g.prodCat[i] = uint8(cat)
		code := g.productCode(i)
		status := oImported
		if kind == kDupCode && i > 0 {
			j := g.intn(i)
			for g.prodDup[j] {
				j = g.intn(i)
			}
			cat = int(g.prodCat[j])
			g.prodCat[i] = uint8(cat)
			code = g.productCode(j)
			status = oMerged
			g.prodDup[i] = true
			g.hit(dProDupCode)
		}
		pc := productCategories[cat]
		name := g.one(pc.names)
		if i >= len(pc.names) && g.chance(0.5) {
			name += " (" + []string{"presentación nueva", "importado", "genérico", "x 2", "promoción"}[g.intn(5)] + ")"
		}
		p := g.price(pc.price[0], pc.price[1])
		if g.intn(3) == 0 {
			p = p/1000*1000 - 1 // "$ 132.999"-style prices
			if p <= 0 {
				p = 999
			}
		}
		g.prodPrice[i] = p
		cost := p * int64(55+g.intn(20)) / 100
		var stock int64
		tipo := "Servicio"
		if !pc.service {
			stock = int64(g.intn(120))
			tipo = "Producto"
		}
		g.count(tiProducts, status)
		err := tr.emit(
			txt(g.id(tiProducts, i)), txt(code), txt(name), txt(pc.name), txt(tipo),
			money(p, g.style()), money(cost, g.style()), num(stock), txt(pc.unit), txt(g.one(activeFlags)),
		)
		if err != nil {
			return err
		}
	}
	return tr.commit()
}

// facturas.csv and factura_items.csv, written side by side: an invoice's
// totals are the sums of its items.
func (g *Generator) genInvoices(ctx context.Context) error {
	inv, err := g.open(tblInvoices)
	if err != nil {
		return err
	}
	defer inv.close()
	items, err := g.open(tblInvoiceItems)
	if err != nil {
		return err
	}
	defer items.close()
	n := g.rows[tiInvoices]
	const (
		kUnknownClient = iota + 1
		kRejectedClient
		kTotalMismatch
	)
	rates := []float64{0.007, 0.006, 0.015}
	item := 0
	for i := range n {
		if err := checkCtx(ctx, i); err != nil {
			return err
		}
		kind := g.pick(i, n, rates)
		client := g.pickClient()
		clientID := g.id(tiClients, client)
		status := oImported
		switch kind {
		case kUnknownClient:
			clientID, status = g.unknownID(tiClients), oOrphaned
			g.hit(dInvUnknownClient)
		case kRejectedClient:
			if r := g.pickRejectedClient(); r >= 0 {
				clientID = g.id(tiClients, r)
			} else {
				clientID = g.unknownID(tiClients)
			}
			status = oOrphaned
			g.hit(dInvRejectedClient)
		}
		if status == oImported && g.cliStatus[client] == cliDup {
			g.hit(dInvClientMerged)
		}
		invID := g.id(tiInvoices, i)

		var subtotal, discount, tax int64
		for k := range 1 + g.intn(4) {
			forceUnknown := k == 0 && i == n/3
			orphanKind := -1
			if status != oImported {
				orphanKind = dItmOrphanedInvoice
			}
			st, err := g.invoiceItem(items, item, invID, orphanKind, forceUnknown)
			if err != nil {
				return err
			}
			item++
			subtotal += st[0]
			discount += st[1]
			tax += st[2]
		}
		total := subtotal - discount + tax
		if kind == kTotalMismatch {
			total += totalDeltas[g.intn(len(totalDeltas))]
			g.hit(dInvTotalMismatch)
		}
		g.count(tiInvoices, status)
		number := "FV-" + pad(100000+i+1, 6)
		if g.chance(0.3) {
			number = "FE " + strconv.Itoa(2000+i+1)
		}
		err := inv.emit(
			txt(invID), txt(number), txt(clientID), g.dateVal(ymd(2018, 1, 1), RefDate),
			money(subtotal, g.style()), money(discount, g.style()), money(tax, g.style()), money(total, g.style()),
			txt(g.one(invoiceStates)), txt(g.one(paymentMethods)), txt(g.one(invoiceNotes)),
		)
		if err != nil {
			return err
		}
		// items of an invoice that is not in facturas at all
		if g.chance(0.004) || i == n/2 {
			if _, err := g.invoiceItem(items, item, g.unknownID(tiInvoices), dItmUnknownInvoice, false); err != nil {
				return err
			}
			item++
		}
	}
	if err := inv.commit(); err != nil {
		return err
	}
	return items.commit()
}

// invoiceItem writes item number j of invoice invID. orphanKind is -1 when
// the invoice is imported, else the defect that orphans the item. It returns
// the line's gross amount, discount and tax in pesos.
func (g *Generator) invoiceItem(tr *tableRun, j int, invID string, orphanKind int, forceUnknown bool) ([3]int64, error) {
	p := g.intn(len(g.prodPrice))
	prodID := g.id(tiProducts, p)
	pc := productCategories[g.prodCat[p]]
	price := g.prodPrice[p]
	desc := g.one(pc.names)
	unknown := g.chance(0.01) || forceUnknown
	if unknown {
		prodID = g.unknownID(tiProducts)
		desc = []string{"Producto sin código", "Servicio varios", "Insumos", "Ajuste"}[g.intn(4)]
	}
	qty := int64(100 * (1 + g.intn(3))) // hundredths
	if !pc.service && price%200 == 0 && g.chance(0.05) {
		qty = halfQty[g.intn(len(halfQty))]
	}
	gross := qty * price / 100
	var discount int64
	if g.chance(0.15) {
		discount = gross / 10 / 100 * 100
	}
	var tax int64
	if !pc.service {
		tax = ((gross-discount)*19 + 50) / 100
	}
	total := gross - discount + tax

	if orphanKind < 0 {
		g.count(tiInvoiceItems, oImported)
		if unknown {
			g.hit(dItmUnknownProduct)
		}
	} else {
		g.count(tiInvoiceItems, oOrphaned)
		g.hit(orphanKind)
	}
	err := tr.emit(
		txt(g.id(tiInvoiceItems, j)), txt(invID), txt(prodID), txt(desc), dec2(qty),
		money(price, g.style()), money(discount, g.style()), money(tax, g.style()), money(total, g.style()),
	)
	return [3]int64{gross, discount, tax}, err
}
