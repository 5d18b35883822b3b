// Package reports renders verification results for people: the text
// report verify prints, a self-contained HTML report with charts, the PDF
// approval the clinic signs, and a comparison of rehearsal runs (text,
// JSON and HTML). Every renderer is pure apart from writing to the given
// io.Writer: the clock, the language, the chart library (EmbeddedCharts)
// and the PDF fonts (FindPDFFonts) come in through the options, and
// neither is required.
package reports

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/internal/words"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/source"
)

const (
	sourceSystem = "OkVet.co"
	destSystem   = "Pet-Friendly"
)

// typeLabel names a reconciled type the way clinic staff say it.
func typeLabel(l i18n.Lang, name string) string { return source.Label(l, name) }

// typeOrder lists the types of r in report order: the known ones first,
// then any the verifier added later, alphabetically, so nothing is hidden.
func typeOrder(types map[string]reconcile.TypeCounts) []string {
	names := reconcile.TypeNames()
	known := map[string]bool{}
	for _, n := range names {
		known[n] = true
	}
	var extra []string
	for n := range types {
		if !known[n] {
			extra = append(extra, n)
		}
	}
	sort.Strings(extra)
	return append(names, extra...)
}

// num writes an integer with the thousands separator of the language:
// "1.234" in Spanish, "1,234" in English.
func num(l i18n.Lang, n int) string {
	if n < 0 {
		// A typographic minus reads better in the reports.
		return "−" + l.Int(-n)
	}
	return l.Int(n)
}

// signed writes a change with its sign, "+3" or "−2".
func signed(l i18n.Lang, n int) string {
	if n > 0 {
		return "+" + num(l, n)
	}
	return num(l, n)
}

// fmtTime writes a date and time in the reader's language; loc, when set,
// moves it into the clinic's time zone.
func fmtTime(l i18n.Lang, t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	if loc != nil {
		t = t.In(loc)
	}
	if l == i18n.EN {
		return t.Format("January 2, 2006 15:04 MST")
	}
	months := [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
		"agosto", "septiembre", "octubre", "noviembre", "diciembre"}
	return fmt.Sprintf("%d de %s de %d, %s", t.Day(), months[t.Month()-1], t.Year(), t.Format("15:04 MST"))
}

// fmtShortTime is a compact, language-neutral date and time for table
// cells, its zone written.
func fmtShortTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	if loc != nil {
		t = t.In(loc)
	}
	return t.Format("2006-01-02 15:04 MST")
}

// severities orders severities from worst to mildest, unknown ones last.
func severities(seen map[string]bool) []string {
	out := []string{"critical", "warning", "info"}
	var extra []string
	for s := range seen {
		if s != "critical" && s != "warning" && s != "info" {
			extra = append(extra, s)
		}
	}
	sort.Strings(extra)
	return append(out, extra...)
}

func sevRank(s string) int {
	switch s {
	case "critical":
		return 0
	case "warning":
		return 1
	case "info":
		return 2
	}
	return 3
}

func sourceStatus(l i18n.Lang, s string) string {
	switch s {
	case "ok":
		return l.S("sin cambios", "unchanged")
	case "missing":
		return l.S("no encontrado", "not found")
	case "changed":
		return l.S("cambió desde la importación", "changed since import")
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// clinicName prefers the caller's name, then the one stored with the run.
func clinicName(l i18n.Lang, opt string, r reconcile.Result) string {
	if opt != "" {
		return opt
	}
	if r.Clinic != "" {
		return r.Clinic
	}
	return l.S("Clínica veterinaria", "Veterinary clinic")
}

// verdict is the one-line outcome and its tone: ok, warn or bad.
func verdict(l i18n.Lang, r reconcile.Result) (text, tone string) {
	code := approval.Verdict(r.OK, r.SignoffReady)
	switch code {
	case approval.VerdictReady:
		tone = "ok"
	case approval.VerdictCriticalOpen:
		tone = "warn"
	default:
		tone = "bad"
	}
	return words.VerdictOf(l, code).Sentence, tone
}

// totals adds the counts of every type.
func totals(types map[string]reconcile.TypeCounts) reconcile.TypeCounts {
	var t reconcile.TypeCounts
	for _, c := range types {
		t.SourceRows += c.SourceRows
		t.Imported += c.Imported
		t.Merged += c.Merged
		t.Rejected += c.Rejected
		t.Orphaned += c.Orphaned
		t.Skipped += c.Skipped
		t.DestinationRows += c.DestinationRows
		t.Unexplained += c.Unexplained
		t.FieldMismatches += c.FieldMismatches
		t.TableRows += c.TableRows
		t.NotFromMigration += c.NotFromMigration
		t.Vanished += c.Vanished
	}
	return t
}

// checkItem is one line of the sign-off checklist.
type checkItem struct {
	Label string
	OK    bool
}

// checklist renders the run's checklist in words.
func checklist(l i18n.Lang, r reconcile.Result) []checkItem {
	var out []checkItem
	for _, c := range Checklist(r) {
		out = append(out, checkItem{CheckLabel(l, c.Code), c.OK})
	}
	return out
}

// deltaLines says, per type, what changed in OkVet since the import.
func deltaLines(l i18n.Lang, r reconcile.Result) []string {
	var out []string
	for _, name := range reconcile.TypeNames() {
		d, ok := r.SourceDelta[name]
		if !ok {
			continue
		}
		s := l.F("%s: %s añadidas, %s eliminadas, %s cambiadas", "%s: %s added, %s removed, %s changed",
			typeLabel(l, name), num(l, d.Added), num(l, d.Removed), num(l, d.Changed))
		if len(d.Examples) > 0 {
			s += " (" + strings.Join(d.Examples, ", ") + ")"
		}
		out = append(out, s)
	}
	return out
}

// Issue types the importer records for outcomes other than "imported".
const (
	issueMerged   = "duplicate_merged"
	issueOrphaned = "orphaned_record"
)

// ofType reports whether an issue count belongs to a record type; counts of
// runs stored before issues were recorded per type belong to every type.
func ofType(ic reconcile.IssueCount, name string) bool {
	return ic.RecordType == "" || ic.RecordType == name
}

// rowBreakdown lists rows per reason code, "missing_id 2, empty_name 3",
// by code; the counts are rows, so they add up to the total.
func rowBreakdown(l i18n.Lang, by map[string]int) string {
	codes := make([]string, 0, len(by))
	for k := range by {
		codes = append(codes, k)
	}
	sort.Strings(codes)
	parts := make([]string, 0, len(codes))
	for _, k := range codes {
		parts = append(parts, k+" "+num(l, by[k]))
	}
	return strings.Join(parts, ", ")
}

// rejectionCodes lists the critical issue types of one record type, which
// are what rejects its rows.
func rejectionCodes(r reconcile.Result, name string) []string {
	seen := map[string]bool{}
	var codes []string
	for _, ic := range r.IssuesByType {
		if !ofType(ic, name) || ic.Severity != "critical" || ic.Type == issueMerged || ic.Type == issueOrphaned || seen[ic.Type] {
			continue
		}
		if ic.Open+ic.Resolved == 0 {
			continue
		}
		seen[ic.Type] = true
		codes = append(codes, ic.Type)
	}
	sort.Strings(codes)
	return codes
}

func hasIssue(r reconcile.Result, name, code string) bool {
	for _, ic := range r.IssuesByType {
		if ofType(ic, name) && ic.Type == code && ic.Open+ic.Resolved > 0 {
			return true
		}
	}
	return false
}

// typeNote explains why one type's destination count differs from its
// source count, pointing to the issue types that record each outcome.
type typeNote struct {
	Type string
	Text string
}

func differenceNotes(l i18n.Lang, r reconcile.Result) []typeNote {
	var notes []typeNote
	for _, name := range typeOrder(r.Types) {
		c, ok := r.Types[name]
		if !ok || (c.SourceRows == c.DestinationRows && c.Unexplained == 0) {
			continue
		}
		var parts []string
		withCode := func(s, code string) string {
			if hasIssue(r, name, code) {
				return s + " (" + code + ")"
			}
			return s
		}
		if c.Merged > 0 {
			parts = append(parts, withCode(l.F("%s duplicados fusionados", "%s duplicates merged", num(l, c.Merged)), issueMerged))
		}
		if c.Rejected > 0 {
			s := l.F("%s rechazados", "%s rejected", num(l, c.Rejected))
			if by := rowBreakdown(l, c.RejectedBy); by != "" {
				s += " (" + by + ")"
			} else if rejected := rejectionCodes(r, name); len(rejected) > 0 {
				// Runs stored before rows were counted per reason.
				s += " (" + strings.Join(rejected, ", ") + ")"
			}
			parts = append(parts, s)
		}
		if c.Orphaned > 0 {
			parts = append(parts, withCode(l.F("%s huérfanos", "%s orphaned", num(l, c.Orphaned)), issueOrphaned))
		}
		if c.Skipped > 0 {
			parts = append(parts, l.F("%s omitidos", "%s skipped", num(l, c.Skipped)))
		}
		if c.Unexplained > 0 {
			parts = append(parts, l.F("%s SIN EXPLICAR", "%s UNEXPLAINED", num(l, c.Unexplained)))
		}
		diff := c.SourceRows - c.DestinationRows
		head := l.F("%s: %s en origen, %s en destino", "%s: %s in source, %s in destination",
			typeLabel(l, name), num(l, c.SourceRows), num(l, c.DestinationRows))
		if diff < 0 {
			head += l.F(" (%s más en destino)", " (%s more in destination)", num(l, -diff))
		}
		if len(parts) > 0 {
			head += " — " + strings.Join(parts, ", ")
		}
		notes = append(notes, typeNote{Type: name, Text: head})
	}
	return notes
}

// sortedIssues adds up issue counts across record types and orders them by
// severity, then by type.
func sortedIssues(in []reconcile.IssueCount) []reconcile.IssueCount {
	out := reconcile.IssueTotals(in)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if sevRank(a.Severity) != sevRank(b.Severity) {
			return sevRank(a.Severity) < sevRank(b.Severity)
		}
		if a.Severity != b.Severity {
			return a.Severity < b.Severity
		}
		return a.Type < b.Type
	})
	return out
}
