package importer

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ownerRow is an owner already in the database with what it can be
// recognised by and the source id it first came from ("" if none).
type ownerRow struct {
	id                                    int64
	email, phone, mobile, docType, docNum string
	source                                string
}

// queryOwners reads the real (not placeholder) owners for the owner merge
// index.
func queryOwners(ctx context.Context, tx pgx.Tx) ([]ownerRow, error) {
	rows, err := tx.Query(ctx, `SELECT p.id, u.email, p.phone, p.mobile, p.document_type, p.document_number,
			COALESCE((SELECT m.source_id FROM migration_externalidmapping m
			  WHERE m.target_model = 'vet_clinic_ownerprofile' AND m.target_id = p.id AND NOT m.is_merged
			  ORDER BY m.id LIMIT 1), '')
		FROM vet_clinic_ownerprofile p JOIN accounts_user u ON u.id = p.user_id
		WHERE NOT p.is_placeholder`)
	if err != nil {
		return nil, fmt.Errorf("load owners: %w", err)
	}
	var owners []ownerRow
	var r ownerRow
	_, err = pgx.ForEachRow(rows, []any{&r.id, &r.email, &r.phone, &r.mobile, &r.docType, &r.docNum, &r.source}, func() error {
		owners = append(owners, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load owners: %w", err)
	}
	return owners, nil
}

// productRow is a product already in the database with a SKU and the
// source id it first came from ("" if none).
type productRow struct {
	id          int64
	sku, source string
}

// queryProducts reads the products with a SKU for the SKU merge index.
func queryProducts(ctx context.Context, tx pgx.Tx) ([]productRow, error) {
	rows, err := tx.Query(ctx, `SELECT p.id, p.sku, COALESCE((SELECT m.source_id FROM migration_externalidmapping m
		WHERE m.target_model = 'inventory_product' AND m.target_id = p.id AND NOT m.is_merged ORDER BY m.id LIMIT 1), '')
		FROM inventory_product p WHERE p.sku <> ''`)
	if err != nil {
		return nil, fmt.Errorf("load products: %w", err)
	}
	var products []productRow
	var r productRow
	_, err = pgx.ForEachRow(rows, []any{&r.id, &r.sku, &r.source}, func() error {
		products = append(products, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load products: %w", err)
	}
	return products, nil
}
