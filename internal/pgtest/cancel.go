package pgtest

import (
	"context"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
)

// CancelNth is a pgx query tracer that cancels the context of the N-th
// statement a pool sends (0: none), as a client giving up at that moment;
// pgx then fails the statement unsent. Count is how many it has seen.
type CancelNth struct {
	N, Count atomic.Int64
}

func (c *CancelNth) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	if c.Count.Add(1) == c.N.Load() {
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		return ctx
	}
	return ctx
}

func (c *CancelNth) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
