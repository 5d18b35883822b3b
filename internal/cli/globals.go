package cli

import (
	"io"
	// The time zones travel inside the binary: --tz works on a machine
	// without /usr/share/zoneinfo.
	"os/user"
	"time"
	_ "time/tzdata"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/reports"
	"github.com/petfriendly/recon/source/normalize"
)

// Globals are the options every command shares, plus the process's
// injected dependencies (writers and clock) so commands stay testable.
type Globals struct {
	DatabaseURL string `name:"database-url" env:"DATABASE_URL" help:"${help_database_url}" placeholder:"URL"`
	Home        string `name:"home" env:"RECON_HOME" default:".recon" help:"${help_home}" type:"path"`
	Lang        string `name:"lang" env:"RECON_LANG" default:"es" enum:"es,en" help:"${help_lang}"`
	Quiet       bool   `name:"quiet" short:"q" help:"${help_quiet}"`
	NoProgress  bool   `name:"no-progress" help:"${help_no_progress}"`
	PGBin       string `name:"pg-bin" env:"RECON_PG_BIN" help:"${help_pg_bin}" placeholder:"DIR"`
	FontDir     string `name:"font-dir" env:"RECON_FONT_DIR" help:"${help_font_dir}" type:"path" placeholder:"DIR"`
	TZ          string `name:"tz" env:"RECON_TZ" default:"America/Bogota" help:"${help_tz}" placeholder:"ZONE"`

	Stdin  io.Reader        `kong:"-"` // confirmations (issues resolve)
	Stdout io.Writer        `kong:"-"`
	Stderr io.Writer        `kong:"-"`
	Now    func() time.Time `kong:"-"`
	// Loc is the clinic's time zone (--tz): every time a person reads is
	// shown in it, with its zone written.
	Loc *time.Location `kong:"-"`
	L   i18n.Lang      `kong:"-"`

	// The chart library built into the binary (reports.EmbeddedCharts):
	// without it the HTML reports carry a notice in place of each chart.
	Charts    reports.Charts `kong:"-"`
	ChartsErr error          `kong:"-"` // why an embedded library cannot be used

	// CreateOutput creates the temporary file a report is staged in
	// (os.CreateTemp when nil); tests inject a failing one.
	CreateOutput func(dir, pattern string) (outputFile, error) `kong:"-"`
}

// zone is the clinic's time zone; Bogotá when none was set (a Globals
// built by a test).
func (g *Globals) zone() *time.Location {
	if g.Loc != nil {
		return g.Loc
	}
	return normalize.Bogota()
}

// clock shows a time in the clinic's zone, the zone written; "-" when unset.
func (g *Globals) clock(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "-"
	}
	return t.In(g.zone()).Format("2006-01-02 15:04 MST")
}

// operatorName is who runs the command: the flag, else the OS user.
func operatorName(flag string) string {
	if flag != "" {
		return flag
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "?"
}
