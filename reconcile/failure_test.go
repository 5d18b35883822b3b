package reconcile_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/reconcile"
)

var errInjected = errors.New("injected failure")

// failingPool is the pool with its n-th statement failing (0: none). It
// keeps the pool's Config, so verify still opens its streams through it.
type failingPool struct {
	pool  *pgxpool.Pool
	n     int
	count int
}

func (f *failingPool) fail() error {
	f.count++
	if f.count == f.n {
		return fmt.Errorf("statement %d: %w", f.count, errInjected)
	}
	return nil
}

func (f *failingPool) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := f.fail(); err != nil {
		return nil, err
	}
	return f.pool.Query(ctx, sql, args...)
}

func (f *failingPool) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if err := f.fail(); err != nil {
		return errRow{err}
	}
	return f.pool.QueryRow(ctx, sql, args...)
}

func (f *failingPool) Config() *pgxpool.Config { return f.pool.Config() }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// TestVerifyReportsEveryDatabaseFailure makes each statement of a
// verification fail in turn: every failure comes back as an error that
// wraps the cause (never a panic, never a result passed off as complete),
// and with no failure the run is the normal one.
func TestVerifyReportsEveryDatabaseFailure(t *testing.T) {
	t.Parallel()
	pool, media := importTinyExport(t)
	opts := reconcile.Options{MediaDir: media, Now: func() time.Time { return testNow }, ChunkSize: 4}
	clean := &failingPool{pool: pool}
	want, err := reconcile.Verify(context.Background(), clean, opts)
	if err != nil {
		t.Fatal(err)
	}
	if clean.count < 10 {
		t.Fatalf("a verification ran only %d statements", clean.count)
	}
	for n := 1; n <= clean.count; n++ {
		f := &failingPool{pool: pool, n: n}
		_, err := reconcile.Verify(context.Background(), f, opts)
		if !errors.Is(err, errInjected) {
			t.Errorf("statement %d of %d failing: err = %v, want the injected failure", n, clean.count, err)
		}
	}
	again, err := reconcile.Verify(context.Background(), pool, opts)
	if err != nil || again.Fingerprint != want.Fingerprint {
		t.Errorf("after the failures: err = %v, fingerprint %s, want %s", err, again.Fingerprint, want.Fingerprint)
	}
}
