package cli

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestClinicClock: every time a person reads is in the clinic's zone with
// the zone written; Bogotá by default, --tz or RECON_TZ to change it.
func TestClinicClock(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 22, 21, 35, 0, 0, time.UTC)
	tests := []struct {
		tz      string
		want    string
		wantErr bool
	}{
		{"", "2026-11-22 16:35 -05", false}, // a Globals without a zone: Bogotá
		{"America/Bogota", "2026-11-22 16:35 -05", false},
		{"UTC", "2026-11-22 21:35 UTC", false},
		{"Europe/Madrid", "2026-11-22 22:35 CET", false},
		{"Nowhere/City", "", true},
	}
	for _, tt := range tests {
		g := &Globals{}
		if tt.tz != "" {
			loc, err := time.LoadLocation(tt.tz)
			if (err != nil) != tt.wantErr {
				t.Errorf("%s: load error %v", tt.tz, err)
			}
			if err != nil {
				continue
			}
			g.Loc = loc
		}
		if got := g.clock(&at); got != tt.want {
			t.Errorf("%q: clock = %q, want %q", tt.tz, got, tt.want)
		}
	}
	if got := (&Globals{}).clock(nil); got != "-" {
		t.Errorf("clock(nil) = %q", got)
	}
}

// TestClockInOutputs: the batches table and verify's text report show
// their times in the zone --tz (or RECON_TZ) names, zone written; an
// unknown zone is refused.
func TestClockInOutputs(t *testing.T) {
	e := newReviewEnv(t)
	stamp := regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d (\S+)`)
	zones := func(out string) []string {
		var z []string
		for _, m := range stamp.FindAllStringSubmatch(out, -1) {
			z = append(z, m[1])
		}
		return z
	}
	for _, tt := range []struct {
		args []string
		env  string
		zone string
	}{
		{nil, "", "-05"},
		{[]string{"--tz", "UTC"}, "", "UTC"},
		{nil, "Europe/Madrid", "CET"},
	} {
		t.Setenv("RECON_TZ", tt.env)
		if tt.env == "" {
			t.Setenv("RECON_TZ", "America/Bogota")
		}
		for _, cmd := range [][]string{{"batches"}, {"verify"}} {
			code, out, errs := e.run(t, nil, append(append([]string{}, tt.args...), cmd...)...)
			if code == ExitError {
				t.Fatalf("%v: exit %d\n%s", cmd, code, errs)
			}
			got := zones(out)
			if len(got) == 0 {
				t.Errorf("%v %v: no time shown:\n%s", tt.args, cmd, out)
			}
			for _, z := range got {
				if z != tt.zone {
					t.Errorf("%v %v (RECON_TZ=%s): a time in zone %q, want %q:\n%s", tt.args, cmd, tt.env, z, tt.zone, out)
					break
				}
			}
		}
	}
	code, _, errs := e.run(t, nil, "--tz", "Nowhere/City", "batches")
	if code != ExitError || !strings.Contains(errs, `zona horaria desconocida "Nowhere/City"`) {
		t.Errorf("unknown zone: exit %d\n%s", code, errs)
	}
}
