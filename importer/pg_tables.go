package importer

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// nextID reserves the next id of table's sequence.
func (tb *tableBuffers) nextID(ctx context.Context, table string) (int64, error) {
	if tb.dryRun && !tb.layout.tracked(table) {
		tb.virtual--
		return tb.virtual, nil
	}
	if len(tb.ids[table]) == 0 {
		// The sequence is looked up once per reservation, not once per id
		// (pg_get_serial_sequence per row took most of the query's time).
		rows, err := tb.tx.Query(ctx, `WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence($1, 'id')::regclass AS seq)
			SELECT nextval(s.seq) FROM s, generate_series(1, $2)`, table, tb.limit)
		if err != nil {
			return 0, fmt.Errorf("reserve ids for %s: %w", table, err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return 0, fmt.Errorf("reserve ids for %s: %w", table, err)
		}
		tb.ids[table] = ids
	}
	id := tb.ids[table][0]
	tb.ids[table] = tb.ids[table][1:]
	return id, nil
}

// flushAll writes every buffer, parents before children.
func (tb *tableBuffers) flushAll(ctx context.Context) error {
	if tb.flushing { // rows added by beforeTracked are written by the running flush
		return nil
	}
	tb.flushing = true
	defer func() { tb.flushing = false }()
	hooked := false
	for _, t := range tb.layout.order {
		if t.tracked && !hooked && tb.beforeTracked != nil {
			hooked = true
			if err := tb.beforeTracked(ctx); err != nil {
				return err
			}
		}
		rows := tb.rows[t.table]
		if len(rows) == 0 {
			continue
		}
		if _, err := tb.tx.CopyFrom(ctx, pgx.Identifier{t.table}, t.columns, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("write %s: %w", t.table, err)
		}
		tb.rows[t.table] = rows[:0]
	}
	tb.pending = 0
	return nil
}
