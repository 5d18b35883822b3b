package importer

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
	"github.com/petfriendly/recon/source/normalize"
)

// productIndex finds earlier products by SKU.
type productIndex struct {
	bySKU   map[string]int64
	source  map[int64]string
	virtual *virtualState
}

func loadProductIndex(ctx context.Context, tx pgx.Tx, v *virtualState) (*productIndex, error) {
	idx := &productIndex{bySKU: map[string]int64{}, source: map[int64]string{}, virtual: v}
	rows, err := tx.Query(ctx, `SELECT p.id, p.sku, COALESCE((SELECT m.source_id FROM migration_externalidmapping m
		WHERE m.target_model = 'inventory_product' AND m.target_id = p.id AND NOT m.is_merged ORDER BY m.id LIMIT 1), '')
		FROM inventory_product p WHERE p.sku <> ''`)
	if err != nil {
		return nil, fmt.Errorf("load products: %w", err)
	}
	var id int64
	var sku, src string
	_, err = pgx.ForEachRow(rows, []any{&id, &sku, &src}, func() error {
		if _, seen := idx.bySKU[skuKey(sku)]; !seen {
			idx.bySKU[skuKey(sku)] = id
		}
		idx.source[id] = src
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load products: %w", err)
	}
	for k, t := range v.skus {
		idx.bySKU[k] = t
	}
	return idx, nil
}

func skuKey(s string) string { return SKUKey(s) }

func (b *batchWriter) productRow(ctx context.Context, rec source.Record, _ Checked) (outcome, error) {
	sku := text(rec, "codigo")
	if sku != "" && b.cur == nil { // a product imported earlier stays itself
		if target, ok := b.product.bySKU[skuKey(sku)]; ok {
			survivor := b.product.source[target]
			o := outcome{status: StatusDuplicate, reason: "merged_into:" + survivor, targetModel: "inventory_product",
				targetID: target, merged: true}
			o.add(Warning, "duplicate_merged", "codigo", sku,
				i18n.T("producto %s fusionado con el producto %s (mismo código %s)",
					"product %s merged into product %s (same code %s)", rec.SourceID, survivor, sku))
			return o, nil
		}
	}
	id, err := b.newID(ctx, "inventory_product")
	if err != nil {
		return outcome{}, err
	}
	active := true
	if valid(rec, "activo") {
		active = boolean(rec, "activo")
	}
	if _, taken := b.product.bySKU[skuKey(sku)]; sku != "" && !taken {
		b.product.bySKU[skuKey(sku)] = id
		b.product.source[id] = rec.SourceID
		b.virtual.stagedSK[skuKey(sku)] = id
	}
	o := outcome{status: StatusImported, targetModel: "inventory_product", targetID: id}
	err = b.put(ctx, "inventory_product", map[string]any{"id": id, "external_id": rec.SourceID, "sku": sku,
		"name": text(rec, "nombre"), "category": text(rec, "categoria"), "product_type": text(rec, "tipo"),
		"price": numeric(rec, "precio"), "cost": numeric(rec, "costo"), "stock": integer(rec, "stock"),
		"unit": text(rec, "unidad"), "is_active": active})
	return o, err
}

func (b *batchWriter) appointment(ctx context.Context, rec source.Record, _ Checked) (outcome, error) {
	day := date(rec, "fecha") // Check rejected a row without a readable date or time
	h, m, sec := 0, 0, 0
	if valid(rec, "hora") {
		var err error
		if h, m, sec, err = normalize.Clock(text(rec, "hora")); err != nil {
			return outcome{}, fmt.Errorf("canonical time %q: %w", text(rec, "hora"), err)
		}
	}
	starts := time.Date(day.Time.Year(), day.Time.Month(), day.Time.Day(), h, m, sec, 0, normalize.Bogota())
	o := outcome{status: StatusImported, targetModel: "appointments_appointment"}
	pet, ok, err := b.parent(ctx, rec, "id_paciente", "pet", &o)
	if err != nil || !ok {
		return o, err
	}
	owner := pgtype.Int8{}
	if po, ok := b.refs.petOwner[pet]; ok {
		owner = pgtype.Int8{Int64: po, Valid: true}
	}
	if client := text(rec, "id_cliente"); client != "" {
		ct, known := b.refs.lookup("client", client)
		if owner.Valid && (!known || ct != owner.Int64) {
			o.add(Warning, "chain_mismatch", "id_cliente", client,
				i18n.T("el cliente %s de la cita no es el propietario de la mascota; se guarda con el propietario de la mascota",
					"appointment client %s is not the pet's owner; stored with the pet's owner", client))
		}
		if !owner.Valid && known {
			owner = pgtype.Int8{Int64: ct, Valid: true}
		}
	}
	// The normaliser applies the mapping file's vocabulary; an unknown
	// status is kept as written (it already carries an unknown_status issue).
	rawStatus := normalize.Clean(rec.Raw["estado"])
	status := text(rec, "estado")
	switch {
	case status != "":
	case rawStatus == "":
		status = "scheduled"
	default:
		status = rawStatus
		if !hasIssue(rec, "unknown_status") {
			o.add(Warning, "unknown_status", "estado", rawStatus, i18n.T("estado de cita desconocido %q, se guarda tal cual", "unknown appointment status %q kept as is", rawStatus))
		}
	}
	id, err := b.newID(ctx, "appointments_appointment")
	if err != nil {
		return outcome{}, err
	}
	o.targetID = id
	duration := boundedInt4(rec, &o, "duracion")
	return o, b.put(ctx, "appointments_appointment", map[string]any{"id": id, "external_id": rec.SourceID, "pet_id": pet,
		"owner_id": owner, "starts_at": starts, "duration_minutes": duration, "reason": text(rec, "motivo"),
		"status": status, "vet_external_id": text(rec, "id_veterinario"), "notes": text(rec, "notas")})
}

func rat(rec source.Record, field string) (*big.Rat, bool) {
	if !valid(rec, field) {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(text(rec, field))
	return r, ok
}

func (b *batchWriter) invoice(ctx context.Context, rec source.Record, _ Checked) (outcome, error) {
	o := outcome{status: StatusImported, targetModel: "billing_invoice"}
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
	id, err := b.newID(ctx, "billing_invoice")
	if err != nil {
		return outcome{}, err
	}
	o.targetID = id
	return o, b.put(ctx, "billing_invoice", map[string]any{"id": id, "external_id": rec.SourceID, "owner_id": owner,
		"number": text(rec, "numero"), "issued_on": date(rec, "fecha"), "subtotal": numeric(rec, "subtotal"),
		"discount": numeric(rec, "descuento"), "tax": numeric(rec, "impuesto"), "total": numeric(rec, "total"),
		"status": text(rec, "estado"), "payment_method": text(rec, "forma_pago"), "notes": text(rec, "notas")})
}

func (b *batchWriter) invoiceItem(ctx context.Context, rec source.Record, _ Checked) (outcome, error) {
	o := outcome{status: StatusImported, targetModel: "billing_invoiceitem"}
	inv, ok, err := b.parent(ctx, rec, "id_factura", "invoice", &o)
	if err != nil || !ok {
		return o, err
	}
	product := pgtype.Int8{}
	if pid := text(rec, "id_producto"); pid != "" {
		if t, ok := b.refs.lookup("product", pid); ok {
			product = pgtype.Int8{Int64: t, Valid: true}
		} else {
			o.add(Info, "unknown_product", "id_producto", pid,
				i18n.T("el producto %s no está en el destino; el ítem conserva su descripción y valores",
					"product %s not in the destination; the item keeps its description and amounts", pid))
		}
	}
	id, err := b.newID(ctx, "billing_invoiceitem")
	if err != nil {
		return outcome{}, err
	}
	o.targetID = id
	return o, b.put(ctx, "billing_invoiceitem", map[string]any{"id": id, "external_id": rec.SourceID, "invoice_id": inv,
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
	_, err := b.tx.Exec(ctx, `WITH touched AS (
			SELECT DISTINCT it.invoice_id FROM migration_externalidmapping m
			JOIN billing_invoiceitem it ON it.id = m.target_id
			WHERE m.batch_id = $1 AND m.source_type = 'invoice_item'
			UNION
			SELECT it.invoice_id FROM migration_migrationrecord r
			JOIN billing_invoiceitem it ON it.id = r.target_id
			WHERE r.batch_id = $1 AND r.status = 'updated' AND r.target_model = 'billing_invoiceitem'),
		sums AS (
			SELECT it.invoice_id, count(*) AS lines, sum(it.total) AS items,
				sum(it.total - COALESCE(it.tax, 0)) AS before_tax
			FROM billing_invoiceitem it
			JOIN touched USING (invoice_id) GROUP BY it.invoice_id)
		INSERT INTO migration_dataqualityissue (batch_id, source_type, source_id, severity, issue_type, field_name, description, source_value,
			resolved, resolution, resolved_by_name, created_at)
		SELECT $1, 'invoice', mi.source_id, 'warning', 'items_total_mismatch', 'total',
			format('items add up to %s (%s before tax) but the invoice subtotal is %s and its total %s (%s lines, 1 peso each of tolerance)',
				sums.items, sums.before_tax, COALESCE(i.subtotal::text, '-'), COALESCE(i.total::text, '-'), sums.lines),
			format('items=%s before_tax=%s subtotal=%s total=%s', sums.items, sums.before_tax,
				COALESCE(i.subtotal::text, ''), COALESCE(i.total::text, '')),
			false, '', '', $2
		FROM sums JOIN billing_invoice i ON i.id = sums.invoice_id
		JOIN migration_externalidmapping mi ON mi.target_model = 'billing_invoice' AND mi.target_id = i.id AND NOT mi.is_merged
		WHERE sums.items IS NOT NULL
			AND NOT COALESCE(abs(sums.items - i.subtotal) <= sums.lines, false)
			AND NOT COALESCE(abs(sums.items - i.total) <= sums.lines, false)`, b.batchID, b.now)
	if err != nil {
		return fmt.Errorf("check item totals: %w", err)
	}
	return nil
}
