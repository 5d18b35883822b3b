// Package gen writes a synthetic OkVet.co export (the "seed layout") with
// deliberately injected defects, plus expected.json: the outcome every row
// must get from the importer, known by construction.
//
// Output is a pure function of (seed, scale, variant): the same options give
// byte-identical files. Rows are streamed to disk as they are generated; only
// a few bytes of facts per client, pet and product are kept in memory so that
// later files can reference earlier rows.
package gen

import (
	"fmt"
	"time"
)

// Export variants.
const (
	VariantUTF8    = "utf8"     // UTF-8, ",", LF, mostly ISO dates, "." decimals
	VariantExcelES = "excel-es" // Spanish-locale Excel re-save: ";", CRLF, Windows-1252, dd/mm/yyyy, decimal comma
	VariantXLSX    = "xlsx"     // one workbook per type, title row + header row
)

// Variants lists the known variants in a stable order.
var Variants = []string{VariantUTF8, VariantExcelES, VariantXLSX}

// MaxScale is the largest accepted scale.
const MaxScale = 1000

// MinScale is the smallest accepted scale: 1/25 of scale 1 (49 clients, 98
// pets, 2,243 rows in all at seed 1), the smallest export that still carries every
// defect kind at least once. Tests use it wherever size proves nothing.
const MinScale = 0.04

// TinyScale is the scale tests use when only the kinds of rows matter.
const TinyScale = MinScale

// MaxScaleXLSX is the largest scale of the xlsx variant: a worksheet holds
// at most 1,048,576 rows and factura_items has ~17,000 rows per scale unit
// (~1.02 million at scale 60, ~1.05 million at 62).
const MaxScaleXLSX = 60

// RefDate is the fixed "today" of every generated export: date ranges end
// around it and "future" means after it. Never time.Now, for determinism.
var RefDate = time.Date(2026, time.October, 31, 0, 0, 0, 0, time.UTC)

// Options select what Generate writes.
type Options struct {
	Out     string  // output folder, created if missing
	Scale   float64 // MinScale..MaxScale; row counts are multiplied by it and rounded
	Seed    uint64  // random seed
	Variant string  // one of Variants; empty means utf8
}

// Validate checks the options and fills the default variant.
func (o *Options) Validate() error {
	if o.Out == "" {
		return &Error{Code: CodeNoOutput}
	}
	if !(o.Scale >= MinScale && o.Scale <= MaxScale) { // also refuses NaN
		return &Error{Code: CodeScaleRange, Value: fmt.Sprint(o.Scale), Min: fmt.Sprint(MinScale), Max: MaxScale}
	}
	if o.Variant == "" {
		o.Variant = VariantUTF8
	}
	if o.Variant == VariantXLSX && o.Scale > MaxScaleXLSX {
		return &Error{Code: CodeScaleXLSX, Value: fmt.Sprint(o.Scale), Max: MaxScaleXLSX}
	}
	for _, v := range Variants {
		if o.Variant == v {
			return nil
		}
	}
	return &Error{Code: CodeUnknownVar, Value: o.Variant}
}
