package importer

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// reserveIDs takes the next n ids of table's sequence.
func reserveIDs(ctx context.Context, tx dbTx, table string, n int) ([]int64, error) {
	// The sequence is looked up once per reservation, not once per id
	// (pg_get_serial_sequence per row took most of the query's time).
	rows, err := tx.Query(ctx, `WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence($1, 'id')::regclass AS seq)
			SELECT nextval(s.seq) FROM s, generate_series(1, $2)`, table, n)
	if err != nil {
		return nil, fmt.Errorf("reserve ids for %s: %w", table, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("reserve ids for %s: %w", table, err)
	}
	return ids, nil
}

// copyRows writes rows into table's columns with COPY.
func copyRows(ctx context.Context, tx dbTx, table string, columns []string, rows [][]any) error {
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("write %s: %w", table, err)
	}
	return nil
}
