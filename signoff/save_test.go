package signoff

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/reconcile"
)

var errInjected = errors.New("injected failure")

// scriptedDB answers each QueryRow with the next of rows and fails every
// Query and Exec: the database side of Save and CompareData, failing where
// a test says.
type scriptedDB struct {
	rows    []func(dst ...any) error
	queries int
}

type scanFunc func(dst ...any) error

func (f scanFunc) Scan(dst ...any) error { return f(dst...) }

func (d *scriptedDB) QueryRow(context.Context, string, ...any) pgx.Row {
	d.queries++
	if len(d.rows) == 0 {
		return scanFunc(func(...any) error { return errInjected })
	}
	next := d.rows[0]
	d.rows = d.rows[1:]
	return scanFunc(next)
}

func (d *scriptedDB) Query(context.Context, string, ...any) (pgx.Rows, error) {
	d.queries++
	return nil, errInjected
}

func (d *scriptedDB) Exec(context.Context, string, ...any) (pgconn.CommandTag, error) {
	d.queries++
	return pgconn.CommandTag{}, errInjected
}

func fail(err error) func(...any) error { return func(...any) error { return err } }

// TestSaveFailures: recording a sign-off stops with an error naming the
// step when the signed file cannot be stored or the database fails, and
// never records an invalid signature.
func TestSaveFailures(t *testing.T) {
	self := newCert(t, "Dr. Pablo", false, nil)
	signed, err := Sign(approvalPDF(t), self, SignOptions{Reason: "Apruebo", Time: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	valid := Inspect(signed, nil)
	if !valid.OK() || !valid.HasIdentity {
		t.Fatalf("signed approval: %+v", valid)
	}
	at := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	fileHome := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(fileHome, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		sig     Signature
		home    string
		rows    []func(...any) error
		wantErr string
	}{
		{"unsigned document", Inspect(approvalPDF(t), nil), t.TempDir(), nil, "only a valid recon approval"},
		{"home is a file", valid, fileHome, nil, "store signed pdf"},
		{"insert fails", valid, t.TempDir(), []func(...any) error{fail(errInjected)}, "record sign-off: injected failure"},
		{"recorded before, then unreadable", valid, t.TempDir(),
			[]func(...any) error{fail(pgx.ErrNoRows), fail(errInjected)}, "load sign-off: injected failure"},
		{"recorded before, then gone", valid, t.TempDir(),
			[]func(...any) error{fail(pgx.ErrNoRows), fail(pgx.ErrNoRows)}, "vanished while recording"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := &scriptedDB{rows: tt.rows}
			_, created, err := Save(context.Background(), db, tt.home, signed, tt.sig, "ana", at)
			if err == nil || created || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Save = created %v, %v; want an error with %q", created, err, tt.wantErr)
			}
			if len(db.rows) != 0 {
				t.Errorf("%d scripted answers left unused", len(db.rows))
			}
		})
	}

	// Recorded: the file is kept under its hash, once.
	home := t.TempDir()
	db := &scriptedDB{rows: []func(...any) error{func(dst ...any) error { *dst[0].(*int64) = 7; return nil }}}
	rec, created, err := Save(context.Background(), db, home, signed, valid, "ana", at)
	if err != nil || !created || rec.ID != 7 || rec.RunID != 3 || rec.RecordedBy != "ana" {
		t.Fatalf("Save = %+v, %v, %v", rec, created, err)
	}
	stored, err := os.ReadFile(StorePath(home, valid.FileSHA256))
	if err != nil || string(stored) != string(signed) {
		t.Fatalf("stored file: %v", err)
	}
}

// TestCompareDataFailures: a failing database is an error, never a
// comparison that says the data is unchanged.
func TestCompareDataFailures(t *testing.T) {
	now := reconcile.Result{ContentFingerprint: "c"}
	approved := approval.Identity{RunID: 3, ContentFingerprint: "c"}
	if _, err := CompareData(context.Background(), &scriptedDB{}, approved, now); !errors.Is(err, errInjected) {
		t.Errorf("run ids unreadable: err = %v", err)
	}
}
