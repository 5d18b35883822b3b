package audit_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/audit"
	"github.com/petfriendly/recon/internal/pgtest"
)

// A setting is stored once per database, trimmed, updated in place and
// removed by an empty value; an unknown key is refused by name.
func TestSettings(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	later := testNow.Add(time.Hour)
	steps := []struct {
		name    string
		key     string
		value   string
		by      string
		at      time.Time
		want    []audit.Setting
		wantErr error
	}{
		{"unknown key", "clinica", "x", "ana", testNow, nil, audit.ErrUnknownSetting},
		{"set, trimmed", audit.SettingClinic, "  Clínica Norte ", "ana", testNow,
			[]audit.Setting{{Key: audit.SettingClinic, Value: "Clínica Norte", UpdatedAt: testNow, UpdatedBy: "ana"}}, nil},
		{"update", audit.SettingClinic, "Clínica Sur", "luis", later,
			[]audit.Setting{{Key: audit.SettingClinic, Value: "Clínica Sur", UpdatedAt: later, UpdatedBy: "luis"}}, nil},
		{"blank removes", audit.SettingClinic, "   ", "luis", later, nil, nil},
		{"removing what is not set", audit.SettingClinic, "", "luis", later, nil, nil},
	}
	for _, s := range steps {
		err := audit.SetSetting(ctx, db.Pool, s.key, s.value, s.by, s.at)
		if !errors.Is(err, s.wantErr) {
			t.Fatalf("%s: err = %v, want %v", s.name, err, s.wantErr)
		}
		if err != nil {
			if want := `unknown setting "clinica"`; err.Error() != want {
				t.Errorf("%s: message %q, want %q", s.name, err, want)
			}
			continue
		}
		got, err := audit.Settings(ctx, db.Pool)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(s.want) {
			t.Fatalf("%s: settings %+v, want %+v", s.name, got, s.want)
		}
		for i := range got {
			if got[i].Key != s.want[i].Key || got[i].Value != s.want[i].Value || got[i].UpdatedBy != s.want[i].UpdatedBy ||
				!got[i].UpdatedAt.Equal(s.want[i].UpdatedAt) {
				t.Errorf("%s: setting %+v, want %+v", s.name, got[i], s.want[i])
			}
		}
		v, err := audit.SettingValue(ctx, db.Pool, audit.SettingClinic)
		want := ""
		if len(s.want) > 0 {
			want = s.want[0].Value
		}
		if err != nil || v != want {
			t.Errorf("%s: SettingValue = %q, %v; want %q", s.name, v, err, want)
		}
	}
	if op, err := audit.ImportOperator(ctx, db.Pool); op != "" || err != nil {
		t.Errorf("ImportOperator with no import = %q, %v; want none", op, err)
	}
}

// Every settings statement that fails comes back as an error naming what
// was being done, never as an empty answer.
func TestSettingsReportCancelledStatements(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	tracer := &pgtest.CancelNth{}
	cfg := db.Pool.Config()
	cfg.ConnConfig.Tracer = tracer
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	tests := []struct {
		name    string
		op      func() error
		wantMsg string
	}{
		{"set", func() error { return audit.SetSetting(ctx, pool, audit.SettingClinic, "Norte", "ana", testNow) }, "set setting clinic: "},
		{"clear", func() error { return audit.SetSetting(ctx, pool, audit.SettingClinic, "", "ana", testNow) }, "clear setting clinic: "},
		{"value", func() error { _, err := audit.SettingValue(ctx, pool, audit.SettingClinic); return err }, "read setting clinic: "},
		{"list", func() error { _, err := audit.Settings(ctx, pool); return err }, "read settings: "},
		{"operator", func() error { _, err := audit.ImportOperator(ctx, pool); return err }, "read the import's operator: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tracer.N.Store(1)
			tracer.Count.Store(0)
			err := tt.op()
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			if got := err.Error(); len(got) < len(tt.wantMsg) || got[:len(tt.wantMsg)] != tt.wantMsg {
				t.Errorf("message %q, want it to start with %q", got, tt.wantMsg)
			}
		})
	}
}
