package audit

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The pg*.go files are review's PostgreSQL adapter: every statement of the
// package is in them, and they hand rows over as plain values. The rest of
// review decides, validates and shapes without SQL.

// DB is what review needs of a pool or a transaction.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
}

// realBatch is the SQL condition verify also uses: issues and records of
// completed, real (not dry-run) batches.
const realBatch = `b.status = 'completed' AND NOT b.is_dry_run`

// inTransaction runs fn in one transaction on db: committed when fn returns
// nil, rolled back otherwise.
func inTransaction(ctx context.Context, db DB, fn func(tx DB) error) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error { return fn(tx) })
}
