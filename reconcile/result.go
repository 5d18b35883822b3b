// Package reconcile compares what an OkVet export holds with what reached the
// destination. Its core is pure: source records and destination records in,
// a Result out. Adapters that read files and PostgreSQL sit beside it.
package reconcile

import (
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/petfriendly/recon/source"
)

// TypeNames lists the reconciled types in report order (source.Type.Report);
// they are the keys of Result.Types.
func TypeNames() []string { return slices.Clone(typeNames()) }

// typeNames is built once: findings are sorted by it.
var typeNames = sync.OnceValue(func() []string {
	types := source.Types()
	slices.SortStableFunc(types, func(a, b source.Type) int { return a.Report - b.Report })
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = t.Name
	}
	return names
})

// Result is one verification run. Its JSON form is the public contract of
// `recon verify --json` and the input of every report.
type Result struct {
	OK           bool                  `json:"ok"`
	RunID        int64                 `json:"run_id"`
	GeneratedAt  time.Time             `json:"generated_at"`
	Operator     string                `json:"operator"`
	Clinic       string                `json:"clinic"`
	Fingerprint  string                `json:"fingerprint"` // SHA-256 of the canonical result
	Types        map[string]TypeCounts `json:"types"`
	Mismatches   []Mismatch            `json:"mismatches"`
	Unexplained  []Unexplained         `json:"unexplained"`
	Chains       []Chain               `json:"chains"`
	Samples      []Sample              `json:"samples"`
	SampleSeed   uint64                `json:"sample_seed"`
	Missing      []MissingField        `json:"missing_fields"`
	Attachments  Attachments           `json:"attachments"`
	IssuesBySev  map[string]int        `json:"issues_by_severity"` // open issues: critical, warning, info
	IssuesByType []IssueCount          `json:"issues_by_type"`
	Corrections  []Correction          `json:"corrections"`
	// Resolutions counts the resolved quality issues per severity, who
	// resolved them and how; ResolvedCritical lists the resolved critical
	// ones (at most 5,000). Both are empty in runs stored before them.
	Resolutions      []ResolutionCount `json:"resolutions,omitempty"`
	ResolvedCritical []ResolvedIssue   `json:"resolved_critical,omitempty"`
	Sources          []SourceFile      `json:"sources"`
	SignoffReady     bool              `json:"signoff_ready"`
	// Logins lists the accounts_user rows that are no owner's login:
	// Pet-Friendly's staff (is_staff) and other roles, reported, never
	// silently counted; they enter the content fingerprint.
	Logins []Login `json:"logins,omitempty"`
	// Untraced lists the critical issues marked resolved without a
	// resolution text, a time or a resolver: they count as not resolved.
	Untraced []UntracedIssue `json:"resolved_without_trace,omitempty"`
	// Findings are the problems and notices of both sides of the
	// accounting, as codes with parameters (see the Code* constants).
	Findings []Finding `json:"findings"`
	// SourceDelta says, per type, what changed in the export since the one
	// imported (only when --source-dir names a different export).
	SourceDelta map[string]Delta `json:"source_delta"`
	// ContentFingerprint is an order-independent hash of every migrated row
	// in canonical form, keyed by source id; Tables holds it per table.
	ContentFingerprint string         `json:"content_fingerprint"`
	Tables             []TableContent `json:"tables"`
	// AllowNewRows records --allow-new-rows: rows created in Pet-Friendly
	// after the import are listed but do not fail the run.
	AllowNewRows bool `json:"allow_new_rows"`
	// Checklist is the sign-off checklist, computed once here and rendered
	// by every report.
	Checklist []CheckItem `json:"checklist"`
	// Durations are how long the verified import and this verification
	// took, so rehearsals tell the cut-over's downtime window; nil in runs
	// stored before they were kept. Not part of the fingerprint.
	Durations *Durations `json:"durations,omitempty"`
}

// Durations are wall-clock times in seconds.
type Durations struct {
	// ImportSeconds is the time the verified batches were running (their
	// intervals merged, so batches run at once count once).
	ImportSeconds float64 `json:"import_seconds"`
	VerifySeconds float64 `json:"verify_seconds"`
}

// Finding is one problem or notice, language-free: a code, where it is,
// and parameters. Blocks is true when it keeps the run from being OK.
type Finding struct {
	Code     string            `json:"code"`
	Type     string            `json:"type,omitempty"`
	SourceID string            `json:"source_id,omitempty"`
	Table    string            `json:"table,omitempty"`
	TargetID int64             `json:"target_id,omitempty"`
	File     string            `json:"file,omitempty"`
	Line     int               `json:"line,omitempty"`
	Params   map[string]string `json:"params,omitempty"`
	Blocks   bool              `json:"blocks"`
}

// Finding codes.
const (
	// Completeness of the migration.
	CodeNeverImported   = "type_never_imported"  // export folder has files of a type no batch imported
	CodeFileNotImported = "file_not_imported"    // a file of an imported type that no completed batch read
	CodeBatchFailed     = "latest_batch_failed"  // the type's latest batch failed (params: batch)
	CodeBatchRunning    = "latest_batch_running" // the type's latest batch is still running (params: batch)
	CodeRolledBack      = "latest_batch_rolled_back"
	// Source side.
	CodeSourceChanged = "source_changed"        // file differs from the one imported (params: imported_sha256, sha256)
	CodeSourceMissing = "source_missing"        // the imported file is gone
	CodeLineNoRecord  = "line_without_record"   // a data row with no migration record
	CodeLinesMerged   = "lines_merged_by_quote" // physical lines swallowed by a quoting error (params: first, last)
	CodeVanished      = "source_row_vanished"   // mapped source id absent from the export verified
	// CodeOutcomeNotSupported: a recorded outcome the export row does not
	// support (params: recorded, recomputed, why; see outcomes.go).
	CodeOutcomeNotSupported = "outcome_not_supported"
	// Destination side.
	CodeNotFromMigration   = "not_from_migration"   // table row no mapping of this export explains
	CodeCreatedAfterImport = "created_after_import" // such a row created after the last completed batch
	CodeTargetMissing      = "mapping_target_missing"
	CodeSharedTarget       = "mapping_shared_target" // two non-merged source ids on one row (params: source_ids)
	CodeWrongModel         = "mapping_wrong_model"   // mapping's target_model is not the type's table (params: model)
	CodeExternalIDMismatch = "external_id_mismatch"  // a mapped row's external_id is not its mapping's source id (params: external_id)
	// CodeLoginEscalated: a migrated owner's login has staff or superuser
	// rights recon never gives (TargetID: the owner profile; params: column).
	CodeLoginEscalated = "owner_login_escalated"
	// CodeCorrectionLost: an audited correction whose value the destination
	// no longer holds and no later correction explains (params: field,
	// corrected, now, by, at).
	CodeCorrectionLost = "correction_overwritten"
	// Audit trail.
	CodeRecordNoIssue = "record_without_issue" // rejected or orphaned row with no quality issue (params: status)
	CodeIssueNoRecord = "issue_without_record" // quality issues detached from their record (params: issues)
	// Column accounting: a column whose values reach no field and that the
	// mapping file does not declare as not migrated (params: column, index,
	// filled, sample, sheet; competes and competes_with when another column
	// feeds the field it names).
	CodeColumnNotMigrated = "column_not_migrated"
	// CodeResolvedNoTrace: a critical issue marked resolved without a
	// resolution text, time or resolver (TargetID: the issue; params:
	// issue_type, lacks); it counts as open for the sign-off.
	CodeResolvedNoTrace = "resolved_without_trace"
)

// Delta is what changed in one type's export since the imported one.
type Delta struct {
	Added    int      `json:"added"`
	Removed  int      `json:"removed"`
	Changed  int      `json:"changed"`
	Examples []string `json:"examples"` // "+id", "-id", "~id"
}

// TableContent is one destination table's content hash.
type TableContent struct {
	Type   string `json:"type"`
	Table  string `json:"table"`
	Rows   int    `json:"rows"`
	SHA256 string `json:"sha256"`
}

// CheckItem is one line of the sign-off checklist: a code (rendered in
// words by the reports) and whether it holds.
type CheckItem struct {
	Code string `json:"code"`
	OK   bool   `json:"ok"`
}

// Checklist codes, in the order they are shown.
const (
	CheckComplete        = "migration_complete"
	CheckSources         = "sources_unchanged"
	CheckSourceExplained = "source_rows_explained"
	CheckTableExplained  = "table_rows_explained"
	CheckMappings        = "mappings_intact"
	CheckAuditTrail      = "audit_trail_intact"
	CheckFields          = "no_field_differences"
	CheckChains          = "chains_intact"
	CheckSample          = "spot_check_matches"
	CheckAttachments     = "attachments_intact"
	CheckCritical        = "no_open_critical_issues"
)

// TypeCounts accounts for every source row of one type.
type TypeCounts struct {
	SourceRows      int `json:"source_rows"`
	Imported        int `json:"imported"`
	Merged          int `json:"merged_duplicates"`
	Rejected        int `json:"rejected"`
	Orphaned        int `json:"orphaned"`
	Skipped         int `json:"skipped"`
	DestinationRows int `json:"destination_rows"`
	Unexplained     int `json:"unexplained"`
	FieldMismatches int `json:"field_mismatches"`
	// RejectedBy counts the rejected rows per reason (the critical issue
	// type that rejected each, as its record says): rows, not issues, so
	// the parts add up to Rejected.
	RejectedBy map[string]int `json:"rejected_by,omitempty"`
	// Source side beyond rows: files read and physical lines a quoting
	// error merged into another row.
	SourceFiles int `json:"source_files"`
	MergedLines int `json:"merged_lines"`
	// Destination side: the table's real row count and what explains it.
	// TableRows = MappedRows + Placeholder + NotFromMigration.
	TableRows          int `json:"table_rows"`
	MappedRows         int `json:"mapped_rows"`
	Placeholder        int `json:"placeholder"`
	NotFromMigration   int `json:"not_from_migration"`
	CreatedAfterImport int `json:"created_after_import"` // part of NotFromMigration
	Vanished           int `json:"vanished"`
}

// Mismatch is one field whose destination value differs from the source.
type Mismatch struct {
	Type        string `json:"type"`
	SourceID    string `json:"source_id"`
	Field       string `json:"field"`
	Source      string `json:"source"`
	Destination string `json:"destination"`
}

// Unexplained is a source row with no mapping and no recorded outcome, or a
// mapping whose destination row is gone.
type Unexplained struct {
	Type     string `json:"type"`
	SourceID string `json:"source_id"`
	Reason   string `json:"reason"`
}

// Chain checks that are not a parent column ("pets.id_cliente → client").
const (
	CheckPerPetMedical  = "per_pet:medical"  // records per pet as in the source
	CheckPerPetVaccines = "per_pet:vaccines" // vaccinations per pet as in the source
	CheckMergedSurvivor = "merged_survivor"  // merged duplicates point at their survivor
)

// Chain is one referential check (e.g. every pet hangs from its owner).
// Check is a code: a parent column "type.field → ref" or a Check* constant;
// examples are language-free ("destination ≠ expected").
type Chain struct {
	Check      string   `json:"check"`
	OK         bool     `json:"ok"`
	Violations int      `json:"violations"`
	Examples   []string `json:"examples"`
}

// Sample is one spot-checked row: each field side by side.
type Sample struct {
	Type     string        `json:"type"`
	SourceID string        `json:"source_id"`
	Fields   []SampleField `json:"fields"`
	Match    bool          `json:"match"`
}

// SampleField shows the raw source text, its normalised form and what the
// destination holds.
type SampleField struct {
	Field       string `json:"field"`
	Raw         string `json:"raw"`
	Normalised  string `json:"normalised"`
	Destination string `json:"destination"`
	Match       bool   `json:"match"`
}

// MissingField counts rows where the source had a value and the destination
// has none.
type MissingField struct {
	Type     string   `json:"type"`
	Field    string   `json:"field"`
	Rows     int      `json:"rows"`
	Examples []string `json:"examples"`
}

// Attachments summarises the media store check.
type Attachments struct {
	Checked  int      `json:"checked"`
	Missing  int      `json:"missing"`
	Corrupt  int      `json:"corrupt"` // present with a different SHA-256
	Examples []string `json:"examples"`
}

// IssueCount is the number of quality issues of one severity and type
// recorded for one type of record (RecordType, a type name such as
// "clients"; empty in runs stored before it was recorded).
type IssueCount struct {
	RecordType string `json:"record_type,omitempty"`
	Severity   string `json:"severity"`
	Type       string `json:"issue_type"`
	Open       int    `json:"open"`
	Resolved   int    `json:"resolved"`
}

// Login is an account of Pet-Friendly's own (no owner profile uses it).
type Login struct {
	ID          int64  `json:"id"`
	Email       string `json:"email"`
	Role        string `json:"role"`
	IsActive    bool   `json:"is_active"`
	IsStaff     bool   `json:"is_staff"`
	IsSuperuser bool   `json:"is_superuser"`
}

// UntracedIssue is a critical issue marked resolved without a trace: what
// of the resolution text, time and resolver (name or user) it lacks.
type UntracedIssue struct {
	ID       int64    `json:"id"`
	Type     string   `json:"record_type,omitempty"`
	SourceID string   `json:"source_id,omitempty"`
	Issue    string   `json:"issue_type"`
	Lacks    []string `json:"lacks"` // resolution, resolved_at, resolved_by
}

// IssueTotals adds up issue counts across record types, per severity and
// issue type, ordered by severity then type.
func IssueTotals(list []IssueCount) []IssueCount {
	type key struct{ sev, typ string }
	idx := map[key]int{}
	var out []IssueCount
	for _, ic := range list {
		k := key{ic.Severity, ic.Type}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, IssueCount{Severity: ic.Severity, Type: ic.Type})
		}
		out[i].Open += ic.Open
		out[i].Resolved += ic.Resolved
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Severity < out[j].Severity || out[i].Severity == out[j].Severity && out[i].Type < out[j].Type
	})
	return out
}

// Correction is an audited manual edit of a destination field.
type Correction struct {
	Type     string    `json:"type"`
	SourceID string    `json:"source_id"`
	Field    string    `json:"field"`
	Old      string    `json:"old"`
	New      string    `json:"new"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Reason   string    `json:"reason"`
}

// ResolutionCount is how many quality issues of one severity a person
// resolved with one resolution.
type ResolutionCount struct {
	Severity   string `json:"severity"`
	By         string `json:"by"`
	Resolution string `json:"resolution"`
	Issues     int    `json:"issues"`
}

// ResolvedIssue is one resolved quality issue: what it was about, who
// resolved it, when and how.
type ResolvedIssue struct {
	ID         int64     `json:"id"`
	RecordType string    `json:"record_type"`
	SourceID   string    `json:"source_id"`
	IssueType  string    `json:"issue_type"`
	Field      string    `json:"field,omitempty"`
	By         string    `json:"by"`
	At         time.Time `json:"at"`
	Resolution string    `json:"resolution"`
}

// SourceFile is an export file a run compared, with whether it still matches
// what was imported.
type SourceFile struct {
	Type    string `json:"type"`
	Path    string `json:"path"`
	SHA256  string `json:"sha256"`
	BatchID int64  `json:"batch_id"`
	Status  string `json:"status"` // ok, missing, changed, new (in --source-dir, not imported)
	// Imported is the SHA-256 recorded at import (empty for a new file).
	Imported string `json:"imported_sha256,omitempty"`
	// Columns says where each column of the file went (mapped to a field,
	// declared not migrated, not migrated...); Sheets, for a workbook,
	// every sheet and what became of it. Both as read by this run.
	Columns []source.Column `json:"columns,omitempty"`
	Sheets  []source.Sheet  `json:"sheets,omitempty"`
}

// findingCheck says which checklist line a finding code belongs to.
func findingCheck(code string) string {
	switch code {
	case CodeNeverImported, CodeFileNotImported, CodeBatchFailed, CodeBatchRunning, CodeRolledBack, CodeColumnNotMigrated:
		return CheckComplete
	case CodeSourceChanged, CodeSourceMissing, CodeVanished:
		return CheckSources
	case CodeLineNoRecord, CodeLinesMerged, CodeOutcomeNotSupported:
		return CheckSourceExplained
	case CodeNotFromMigration, CodeCreatedAfterImport:
		return CheckTableExplained
	case CodeTargetMissing, CodeSharedTarget, CodeWrongModel, CodeExternalIDMismatch:
		return CheckMappings
	case CodeLoginEscalated, CodeCorrectionLost:
		return CheckFields
	case CodeRecordNoIssue, CodeIssueNoRecord:
		return CheckAuditTrail
	case CodeResolvedNoTrace:
		return CheckCritical
	}
	return ""
}

// checklist computes the sign-off checklist from the findings and counts;
// OK is true only when every line but the open-critical one holds, and the
// run is ready to sign only when that one holds too.
// failed holds the checks a blocking finding failed (the findings list may
// be capped; failed never is).
func checklist(r Result, failed map[string]bool) []CheckItem {
	unexplained, mismatches := 0, 0
	for _, tc := range r.Types {
		unexplained += tc.Unexplained
		mismatches += tc.FieldMismatches
		if tc.TableRows != tc.MappedRows+tc.Placeholder+tc.NotFromMigration {
			failed[CheckTableExplained] = true
		}
	}
	chains := true
	for _, c := range r.Chains {
		chains = chains && c.OK
	}
	sources := len(r.Sources) > 0
	for _, s := range r.Sources {
		sources = sources && s.Status == "ok"
	}
	samples := true
	for _, s := range r.Samples {
		samples = samples && s.Match
	}
	return []CheckItem{
		{CheckComplete, !failed[CheckComplete]},
		{CheckSources, sources && !failed[CheckSources]},
		{CheckSourceExplained, unexplained == 0 && !failed[CheckSourceExplained]},
		{CheckTableExplained, !failed[CheckTableExplained]},
		{CheckMappings, !failed[CheckMappings]},
		{CheckAuditTrail, !failed[CheckAuditTrail]},
		{CheckFields, mismatches == 0 && !failed[CheckFields]},
		{CheckChains, chains},
		{CheckSample, samples},
		{CheckAttachments, r.Attachments.Missing+r.Attachments.Corrupt == 0},
		{CheckCritical, r.IssuesBySev["critical"] == 0 && len(r.Untraced) == 0 && !failed[CheckCritical]},
	}
}

// ChecklistOf works out the checklist of a stored run from its findings and
// counts (runs stored before the checklist was part of the Result).
func ChecklistOf(r Result) []CheckItem {
	failed := map[string]bool{}
	for _, f := range r.Findings {
		if f.Blocks {
			failed[findingCheck(f.Code)] = true
		}
	}
	return checklist(r, failed)
}
