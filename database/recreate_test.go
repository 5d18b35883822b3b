package database_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/petfriendly/recon/database"
	"github.com/petfriendly/recon/internal/pgtest"
)

// RecreateDatabase leaves the database empty, whatever it held and
// whoever was connected to it.
func TestRecreateDatabase(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenEmptyDB(t)
	ctx := context.Background()
	if _, err := db.Pool.Exec(ctx, `CREATE TABLE leftover (id int)`); err != nil {
		t.Fatal(err)
	}
	url, err := database.RecreateDatabase(ctx, database.WithDatabase(db.URL, "postgres"), db.Name)
	if err != nil {
		t.Fatal(err)
	}
	if url != db.URL {
		t.Errorf("url %q, want %q", url, db.URL)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_class WHERE relname = 'leftover'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("tables named leftover after recreating: %d, %v", n, err)
	}
}
