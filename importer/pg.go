package importer

import (
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The importer's statements live in this file's siblings, pg_*.go, each
// named for what it serves. The rest of the package decides and shapes
// values; it holds a transaction or the pool only to hand it to them.

// dbTx is the transaction one batch (or one rollback) runs in.
type dbTx = pgx.Tx

// dbPool is the destination database's pool.
type dbPool = pgxpool.Pool
