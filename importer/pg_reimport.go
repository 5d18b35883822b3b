package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// loadUsers maps owner profiles to their users, for re-imported clients.
func loadUsers(ctx context.Context, tx pgx.Tx) (map[int64]int64, error) {
	out := map[int64]int64{}
	rows, err := tx.Query(ctx, `SELECT id, user_id FROM vet_clinic_ownerprofile`)
	if err != nil {
		return nil, fmt.Errorf("load owner users: %w", err)
	}
	var id, user int64
	_, err = pgx.ForEachRow(rows, []any{&id, &user}, func() error {
		out[id] = user
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load owner users: %w", err)
	}
	return out, nil
}

// compareTable loads rows into a temp table shaped like table and returns
// the rows that differ from the destination or are missing from it, with
// the destination values they replace; outside a dry run it updates them.
// Columns compare as their SQL types (12.5 = 12.500, instants in any zone).
func (b *batchWriter) compareTable(ctx context.Context, table string, rows [][]any) (map[int64]verdict, error) {
	cols := compareColumns(table)
	all := append([]string{"id"}, cols...)
	tmp := "recon_cmp_" + table
	if !b.cmpTables[table] {
		// CREATE TABLE AS copies the column types but not the NOT NULL
		// constraints, so COPY can leave a kept-if-null column empty.
		if _, err := b.tx.Exec(ctx, fmt.Sprintf("CREATE TEMP TABLE %s ON COMMIT DROP AS SELECT %s FROM %s WITH NO DATA",
			tmp, strings.Join(all, ", "), table)); err != nil {
			return nil, fmt.Errorf("compare %s: %w", table, err)
		}
		b.cmpTables[table] = true
	} else if _, err := b.tx.Exec(ctx, "TRUNCATE "+tmp); err != nil {
		return nil, fmt.Errorf("compare %s: %w", table, err)
	}
	if _, err := b.tx.CopyFrom(ctx, pgx.Identifier{tmp}, all, pgx.CopyFromRows(rows)); err != nil {
		return nil, fmt.Errorf("compare %s: %w", table, err)
	}
	// A column an operator corrected (migration_correction) keeps its
	// value: a re-import must not silently undo an audited correction.
	var newVals, oldVals, sets, prev, kept []string
	for _, c := range cols {
		nv := "t." + c
		if keepIfNull(table, c) {
			nv = fmt.Sprintf("COALESCE(t.%s, d.%s)", c, c)
		}
		corrected := fmt.Sprintf("'%s' = ANY(k.cols)", c)
		kept = append(kept, fmt.Sprintf("CASE WHEN %s AND %s IS DISTINCT FROM d.%s THEN '%s' END", corrected, nv, c, c))
		nv = fmt.Sprintf("CASE WHEN %s THEN d.%s ELSE %s END", corrected, c, nv)
		newVals = append(newVals, nv)
		oldVals = append(oldVals, "d."+c)
		sets = append(sets, c+" = "+nv)
	}
	for _, c := range restoreColumns(table) {
		prev = append(prev, fmt.Sprintf("'%s', d.%s", c, c))
	}
	if tc := touchColumn(table); tc != "" {
		sets = append(sets, tc+" = now()")
	}
	changed := fmt.Sprintf("ROW(%s) IS DISTINCT FROM ROW(%s)", strings.Join(newVals, ", "), strings.Join(oldVals, ", "))
	keptCols := fmt.Sprintf("array_remove(ARRAY[%s]::text[], NULL)", strings.Join(kept, ", "))
	withKept := fmt.Sprintf("%s t LEFT JOIN (%s) k ON k.id = t.id", tmp, correctedColumns(table))
	res, err := b.tx.Query(ctx, fmt.Sprintf(`SELECT t.id, d.id IS NULL, %[4]s,
			CASE WHEN d.id IS NOT NULL THEN jsonb_build_object('id', d.id, %[1]s) END, COALESCE(%[5]s, '{}')
		FROM %[2]s LEFT JOIN %[3]s d ON d.id = t.id
		WHERE d.id IS NULL OR %[4]s OR cardinality(%[5]s) > 0`, strings.Join(prev, ", "), withKept, table, changed, keptCols))
	if err != nil {
		return nil, fmt.Errorf("compare %s: %w", table, err)
	}
	out := map[int64]verdict{}
	var id int64
	var v verdict
	_, err = pgx.ForEachRow(res, []any{&id, &v.missing, &v.changed, &v.previous, &v.kept}, func() error {
		out[id] = verdict{missing: v.missing, changed: v.changed, previous: append(json.RawMessage(nil), v.previous...),
			kept: append([]string(nil), v.kept...)}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("compare %s: %w", table, err)
	}
	if b.dryRun || len(out) == 0 {
		return out, nil
	}
	if _, err := b.tx.Exec(ctx, fmt.Sprintf(`UPDATE %s d SET %s FROM %s WHERE d.id = t.id AND %s`,
		table, strings.Join(sets, ", "), withKept, changed)); err != nil {
		return nil, fmt.Errorf("update %s: %w", table, err)
	}
	return out, nil
}

// correctedColumns is a query of (id, cols): for each row of table, the
// columns audited manual corrections wrote. A correction is recorded
// against the type's own table; an owner's e-mail and name also live in
// accounts_user, and consent carries its date.
func correctedColumns(table string) string {
	if table == "accounts_user" {
		return `SELECT p.user_id AS id, array_agg(x.col) AS cols
			FROM migration_correction c JOIN vet_clinic_ownerprofile p ON p.id = c.target_id
			CROSS JOIN LATERAL unnest(CASE c.column_name WHEN 'email' THEN ARRAY['email']
				WHEN 'full_name' THEN ARRAY['first_name', 'last_name'] ELSE ARRAY[]::text[] END) AS x(col)
			WHERE c.target_model = 'vet_clinic_ownerprofile'
			GROUP BY p.user_id`
	}
	return fmt.Sprintf(`SELECT c.target_id AS id, array_agg(x.col) AS cols
		FROM migration_correction c
		CROSS JOIN LATERAL unnest(CASE c.column_name WHEN 'data_consent' THEN ARRAY['data_consent', 'data_consent_at']
			ELSE ARRAY[c.column_name] END) AS x(col)
		WHERE c.target_model = '%s'
		GROUP BY c.target_id`, table)
}
