package importer

import (
	"context"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
)

// productIndex finds earlier products by SKU.
type productIndex struct {
	bySKU   map[string]int64
	source  map[int64]string
	virtual *virtualState
}

// newProductIndex indexes the products already in the database by SKU (the
// first keeps it), then the SKUs staged by batches of this run.
func newProductIndex(products []productRow, v *virtualState) *productIndex {
	idx := &productIndex{bySKU: map[string]int64{}, source: map[int64]string{}, virtual: v}
	for _, r := range products {
		if _, seen := idx.bySKU[skuKey(r.sku)]; !seen {
			idx.bySKU[skuKey(r.sku)] = r.id
		}
		idx.source[r.id] = r.source
	}
	for k, t := range v.skus {
		idx.bySKU[k] = t
	}
	return idx
}

func skuKey(s string) string { return SKUKey(s) }

func (b *batchWriter) productRow(ctx context.Context, rec source.Record, _ Checked) (outcome, error) {
	sku := text(rec, "codigo")
	if sku != "" && b.cur == nil { // a product imported earlier stays itself
		if target, ok := b.product.bySKU[skuKey(sku)]; ok {
			survivor := b.product.source[target]
			o := outcome{status: StatusDuplicate, reason: "merged_into:" + survivor, targetModel: b.t.Table,
				targetID: target, merged: true}
			o.add(Warning, "duplicate_merged", "codigo", sku,
				i18n.T("producto %s fusionado con el producto %s (mismo código %s)",
					"product %s merged into product %s (same code %s)", rec.SourceID, survivor, sku))
			return o, nil
		}
	}
	id, err := b.newID(ctx, b.t.Table)
	if err != nil {
		return outcome{}, err
	}
	active := fieldDefault(b.t, "activo") == "true"
	if valid(rec, "activo") {
		active = boolean(rec, "activo")
	}
	if _, taken := b.product.bySKU[skuKey(sku)]; sku != "" && !taken {
		b.product.bySKU[skuKey(sku)] = id
		b.product.source[id] = rec.SourceID
		b.virtual.stagedSK[skuKey(sku)] = id
	}
	o := outcome{status: StatusImported, targetModel: b.t.Table, targetID: id}
	err = b.put(ctx, b.t.Table, map[string]any{"id": id, "external_id": rec.SourceID, "sku": sku,
		"name": text(rec, "nombre"), "category": text(rec, "categoria"), "product_type": text(rec, "tipo"),
		"price": numeric(rec, "precio"), "cost": numeric(rec, "costo"), "stock": integer(rec, "stock"),
		"unit": text(rec, "unidad"), "is_active": active})
	return o, err
}
