package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/gocarina/gocsv"

	"github.com/petfriendly/recon/internal/csvsafe"
)

// writeCSV writes rows, a slice of structs tagged `csv:"name"`, as CSV with
// a header line. The header names are the tags: English snake_case codes,
// the same in every --lang, so scripts and spreadsheets can rely on them.
// The csv.Writer is ours, never gocsv's package-wide one, and neutralises
// formulas as every CSV recon writes does (csvsafe).
func writeCSV(w io.Writer, rows any) error {
	if err := gocsv.MarshalCSV(rows, csvsafe.NewWriter(w)); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// csvTime is a time for CSV output: UTC, RFC 3339; nil stays an empty cell.
func csvTime(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
