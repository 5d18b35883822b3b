package database

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A malformed database URL is refused before any connection, saying so.
func TestOpenRejectsMalformedURL(t *testing.T) {
	_, err := Open(context.Background(), "postgres://user@host:notaport/db")
	if err == nil || !strings.HasPrefix(err.Error(), "parse database url: ") {
		t.Errorf("err = %v, want a parse error", err)
	}
}

// WithDatabase swaps the database of a URL or a keyword/value DSN; a URL
// it cannot parse is returned as it is, for the connection to report.
func TestWithDatabase(t *testing.T) {
	tests := []struct{ dsn, want string }{
		{"postgres://ana@db:5432/clinic?sslmode=disable", "postgres://ana@db:5432/recon_x?sslmode=disable"},
		{"host=db user=ana", "host=db user=ana dbname=recon_x"},
		{"", "dbname=recon_x"},
		{"postgres://ana@db:5432/%zz", "postgres://ana@db:5432/%zz"},
	}
	for _, tt := range tests {
		if got := WithDatabase(tt.dsn, "recon_x"); got != tt.want {
			t.Errorf("WithDatabase(%q) = %q, want %q", tt.dsn, got, tt.want)
		}
	}
}

// The newest installed PostgreSQL wins: versions compare as numbers.
func TestVersionOf(t *testing.T) {
	tests := []struct {
		dir  string
		want float64
	}{
		{"/usr/lib/postgresql/15/bin", 15},
		{"/usr/lib/postgresql/9.6/bin", 9.6},
		{"/usr/lib/postgresql/current/bin", 0},
	}
	for _, tt := range tests {
		if got := versionOf(tt.dir); got != tt.want {
			t.Errorf("versionOf(%q) = %v, want %v", tt.dir, got, tt.want)
		}
	}
	if versionOf("/usr/lib/postgresql/9.6/bin") > versionOf("/usr/lib/postgresql/15/bin") {
		t.Error("9.6 ranks above 15")
	}
}

// Without --pg-bin the cluster uses the binaries FindBinaries finds, which
// hold a server; on a machine without PostgreSQL both say so.
func TestNewClusterFindsBinaries(t *testing.T) {
	bin, err := FindBinaries()
	c, cerr := NewCluster(ClusterOptions{Dir: filepath.Join(t.TempDir(), "pg"), ManagedRoot: t.TempDir()})
	if err != nil {
		if !errors.Is(err, ErrNoBinaries) || !errors.Is(cerr, ErrNoBinaries) {
			t.Errorf("without binaries: FindBinaries err = %v, NewCluster err = %v; want ErrNoBinaries", err, cerr)
		}
		return
	}
	if _, err := os.Stat(filepath.Join(bin, "initdb")); err != nil {
		t.Errorf("FindBinaries = %s without initdb: %v", bin, err)
	}
	if cerr != nil {
		t.Fatal(cerr)
	}
	if c.BinDir != bin {
		t.Errorf("BinDir = %s, want %s", c.BinDir, bin)
	}
}
