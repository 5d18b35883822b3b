package importer

import (
	"context"
	"math/big"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
)

func rat(rec source.Record, field string) (*big.Rat, bool) {
	if !valid(rec, field) {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(text(rec, field))
	return r, ok
}

func (b *batchWriter) invoice(ctx context.Context, rec source.Record, _ Checked) (outcome, error) {
	o := outcome{status: StatusImported, targetModel: b.t.Table}
	owner, ok, err := b.parent(ctx, rec, "id_cliente", "client", &o)
	if err != nil || !ok {
		return o, err
	}
	if sub, ok := rat(rec, "subtotal"); ok {
		if total, ok := rat(rec, "total"); ok {
			want := new(big.Rat).Set(sub)
			if d, ok := rat(rec, "descuento"); ok {
				want.Sub(want, d)
			}
			if t, ok := rat(rec, "impuesto"); ok {
				want.Add(want, t)
			}
			if want.Cmp(total) != 0 {
				o.add(Warning, "total_mismatch", "total", text(rec, "total"),
					i18n.T("subtotal - descuento + impuesto = %s pero el total es %s (se guarda como en el origen)",
						"subtotal - discount + tax = %s but total is %s (kept as in the source)", want.FloatString(2), text(rec, "total")))
			}
		}
	}
	id, err := b.newID(ctx, b.t.Table)
	if err != nil {
		return outcome{}, err
	}
	o.targetID = id
	return o, b.put(ctx, b.t.Table, map[string]any{"id": id, "external_id": rec.SourceID, "owner_id": owner,
		"number": text(rec, "numero"), "issued_on": date(rec, "fecha"), "subtotal": numeric(rec, "subtotal"),
		"discount": numeric(rec, "descuento"), "tax": numeric(rec, "impuesto"), "total": numeric(rec, "total"),
		"status": text(rec, "estado"), "payment_method": text(rec, "forma_pago"), "notes": text(rec, "notas")})
}

func (b *batchWriter) invoiceItem(ctx context.Context, rec source.Record, _ Checked) (outcome, error) {
	o := outcome{status: StatusImported, targetModel: b.t.Table}
	inv, ok, err := b.parent(ctx, rec, "id_factura", "invoice", &o)
	if err != nil || !ok {
		return o, err
	}
	product := noID()
	if pid := text(rec, "id_producto"); pid != "" {
		if t, ok := b.refs.lookup("product", pid); ok {
			product = someID(t)
		} else {
			o.add(Info, "unknown_product", "id_producto", pid,
				i18n.T("el producto %s no está en el destino; el ítem conserva su descripción y valores",
					"product %s not in the destination; the item keeps its description and amounts", pid))
		}
	}
	id, err := b.newID(ctx, b.t.Table)
	if err != nil {
		return outcome{}, err
	}
	o.targetID = id
	return o, b.put(ctx, b.t.Table, map[string]any{"id": id, "external_id": rec.SourceID, "invoice_id": inv,
		"product_id": product, "description": text(rec, "descripcion"), "quantity": numeric(rec, "cantidad"),
		"unit_price": numeric(rec, "precio_unitario"), "discount": numeric(rec, "descuento"),
		"tax": numeric(rec, "impuesto"), "total": numeric(rec, "total")})
}

// checkItemTotals flags invoices whose items (written by this batch) add up
// to neither the invoice's subtotal nor its total. OkVet's line totals
// include tax or not depending on the clinic's setup, so the lines may
// rightly equal either; each line may be rounded to the peso, hence one peso
// of tolerance per line. The issue carries both sums of the lines (as
// written and before their tax) with the invoice's subtotal and total.
func (b *batchWriter) checkItemTotals(ctx context.Context) error {
	if b.dryRun {
		return nil
	}
	return insertItemTotalIssues(ctx, b.tx, b.batchID, b.now)
}
