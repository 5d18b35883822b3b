package words

import (
	"strings"

	"github.com/petfriendly/recon/internal/i18n"
)

// outcome is one import outcome in words, in the three places it is said:
// as one row's state (row), inside a finding's sentence about one line,
// which is feminine in Spanish (stated; statedAlone when the record names
// no survivor), and as a column of counts in the comparison (counted). An
// empty form means that place never shows the outcome.
type outcome struct {
	row, stated, statedAlone, counted pair
}

// outcomeOf is the table of outcomes, by the comparison's code.
func outcomeOf(code string) (outcome, bool) {
	switch code {
	case "imported":
		return outcome{row: pair{"importado", "imported"}, stated: pair{"importada", "imported"},
			counted: pair{"importadas", "imported"}}, true
	case "merged_duplicates":
		return outcome{row: pair{"fusionado con su duplicado (%s)", "merged into its duplicate (%s)"},
			stated: pair{"duplicado fusionado con %s", "duplicate merged into %s"}, statedAlone: pair{"duplicado fusionado", "merged duplicate"},
			counted: pair{"fusionadas", "merged"}}, true
	case "rejected":
		return outcome{row: pair{"rechazado (%s)", "rejected (%s)"}, stated: pair{"rechazada (%s)", "rejected (%s)"},
			counted: pair{"rechazadas", "rejected"}}, true
	case "orphaned":
		return outcome{row: pair{"huérfano: no importado", "orphaned: not imported"}, stated: pair{"huérfana", "orphaned"},
			counted: pair{"huérfanas", "orphaned"}}, true
	case "skipped":
		return outcome{row: pair{"omitido (%s)", "skipped (%s)"}, stated: pair{"omitida (%s)", "skipped (%s)"},
			counted: pair{"omitidas", "skipped"}}, true
	case "unexplained":
		return outcome{counted: pair{"sin explicar", "unexplained"}}, true
	case "updated":
		return outcome{row: pair{"actualizado al reimportar", "updated on re-import"}}, true
	case "unchanged":
		return outcome{row: pair{"sin cambios al reimportar", "unchanged on re-import"}}, true
	}
	return outcome{}, false
}

// outcomeCode is the code of a migration record's status and reason; ok
// is false for a status the import does not record.
func outcomeCode(status, reason string) (code string, ok bool) {
	switch status {
	case "imported", "updated", "unchanged":
		return status, true
	case "duplicate":
		return "merged_duplicates", true
	case "error":
		return "rejected", true
	case "skipped":
		if reason == "orphaned" {
			return "orphaned", true
		}
		return "skipped", true
	}
	return "", false
}

// Outcome says what the import did with a source row, from its migration
// record's status and reason; an unknown status is shown as stored.
func Outcome(l i18n.Lang, status, reason string) string {
	code, ok := outcomeCode(status, reason)
	o, _ := outcomeOf(code)
	if !ok || o.row == (pair{}) {
		return status
	}
	return o.row.in(l, strings.TrimPrefix(reason, "merged_into:"))
}

// StatedOutcome words a row's outcome inside a sentence, as the finding
// outcome_not_supported states it ("status" or "status:reason"); an
// unknown one is shown as stated.
func StatedOutcome(l i18n.Lang, stated string) string {
	status, reason, _ := strings.Cut(stated, ":")
	code, ok := outcomeCode(status, reason)
	o, _ := outcomeOf(code)
	if !ok || o.stated == (pair{}) {
		return stated
	}
	if o.statedAlone != (pair{}) {
		survivor, named := strings.CutPrefix(reason, "merged_into:")
		if !named {
			return o.statedAlone.in(l, "")
		}
		reason = survivor
	}
	return o.stated.in(l, reason)
}

// CountedOutcome names an outcome counted over many rows (imported,
// merged_duplicates, rejected, orphaned, skipped, unexplained); an unknown
// code is shown as is.
func CountedOutcome(l i18n.Lang, code string) string {
	o, ok := outcomeOf(code)
	if !ok || o.counted == (pair{}) {
		return code
	}
	return o.counted.in(l, "")
}
