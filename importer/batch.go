package importer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/petfriendly/recon/internal/csvsafe"
	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
)

// Record statuses (migration_migrationrecord.status) and reasons.
const (
	StatusImported  = "imported"
	StatusDuplicate = "duplicate"
	StatusError     = "error"
	StatusSkipped   = "skipped"
	StatusUpdated   = "updated"   // imported by an earlier batch, changed since: updated in place
	StatusUnchanged = "unchanged" // imported by an earlier batch, identical

	ReasonOrphaned        = "orphaned"
	ReasonAlreadyImported = "already_imported" // the id appeared earlier in the same file
	ReasonTargetMissing   = "target_missing"   // the mapped destination row was deleted outside recon
)

// maxProblems is how many rejected rows a Summary quotes.
const maxProblems = 5

// Issue severities.
const (
	Critical = "critical"
	Warning  = "warning"
	Info     = "info"
)

// outcome is what the rules decided for one source row.
type outcome struct {
	status      string
	reason      string
	issues      []source.Issue
	targetModel string
	targetID    int64
	merged      bool // a duplicate mapped to its survivor
	// previous holds, per table, the destination columns an update
	// overwrote, so a rollback can restore them.
	previous map[string]json.RawMessage
}

// add records an issue; its message is written in both languages and
// stored in the operator's (Options.Lang).
func (o *outcome) add(severity, typ, field, value string, msg i18n.Text) {
	o.issues = append(o.issues, source.Issue{Severity: severity, Type: typ, Field: field, Value: value, Message: msg.EN, MessageES: msg.ES})
}

func reject(typ, field, value string, msg i18n.Text) outcome {
	o := outcome{status: StatusError, reason: typ}
	o.add(Critical, typ, field, value, msg)
	return o
}

// rejectProblem is the outcome of a row with a blocking problem.
func rejectProblem(p Problem) outcome { return reject(p.Type, p.Field, p.Value, p.Message) }

// batchWriter holds one batch's state: reference maps, duplicate indexes
// and the COPY buffers, all inside the batch's transaction.
type batchWriter struct {
	im      *Importer
	tx      dbTx
	t       source.Type
	batchID int64
	dryRun  bool
	// virtual is the dry run's overlay shared by its files, or this batch's
	// own (a real import's batches run at once and share nothing in memory).
	virtual *virtualState
	now     time.Time // the batch's time: created_at and the like of every row it writes

	refs    *refIndex
	tables  *tableBuffers
	rules   typeRules     // the type's entry of importRules
	owners  *ownerIndex   // types merged by owner keys (clients)
	product *productIndex // types merged by SKU (products)

	counts batchCounts
	// mediaWritten collects the media files this batch wrote (documents).
	mediaWritten *[]string
	rejectPath   string
	rejectFile   *os.File
	rejectCSV    *csvsafe.Writer
	exportDir    string
	problems     []string

	seen      map[string]int  // source id -> line of the row of this file that holds it (imported, merged, re-imported)
	failed    map[string]int  // source id -> line of its last occurrence not imported (rejected, orphaned)
	cur       *capture        // set while an already imported row is re-evaluated
	reimports []reimportRow   // already imported rows waiting for their comparison
	userOf    map[int64]int64 // clients: owner profile id -> user id
	// placeholder is the placeholder owner's id once this batch found or
	// created it (its transaction holds the owner's lock from then on).
	placeholder int64
	cmpTables   map[string]bool // comparison temp tables created in this transaction
	// openIssues are the issues of this type still open from earlier
	// completed batches: raised again, they are linked, not opened twice.
	openIssues map[issueKey]int64
}

// issueKey identifies an issue across batches: the same source row, issue
// type and field.
type issueKey struct{ sourceID, typ, field string }

func (im *Importer) newBatchWriter(ctx context.Context, tx dbTx, v *virtualState, t source.Type, batchID int64, path string) (*batchWriter, error) {
	b := &batchWriter{im: im, tx: tx, t: t, batchID: batchID, dryRun: im.opts.DryRun, virtual: v, now: im.opts.Now(),
		seen: map[string]int{}, failed: map[string]int{}, cmpTables: map[string]bool{}}
	if abs, err := filepath.Abs(path); err == nil {
		b.exportDir = filepath.Dir(abs)
	}
	layout, err := newTableLayout(source.Types())
	if err != nil {
		return nil, err
	}
	b.tables = newTableBuffers(tx, layout, im.opts.BatchSize, b.dryRun)
	b.tables.beforeTracked = b.resolveReimports
	b.refs = newRefIndex(tx, v)
	// Load every reference this type can point at, and its own mappings so a
	// second import of the same row is recognised.
	if err := b.refs.load(ctx, t.SourceType); err != nil {
		return nil, err
	}
	for _, f := range t.Fields {
		if f.Kind == source.KindRef {
			if err := b.refs.load(ctx, f.Ref); err != nil {
				return nil, err
			}
		}
	}
	if !b.dryRun {
		open, err := loadOpenIssues(ctx, tx, t.SourceType)
		if err != nil {
			return nil, err
		}
		b.openIssues = open
	}
	if b.rules, err = rulesOf(t); err != nil {
		return nil, err
	}
	switch t.Merge {
	case source.MergeOwner:
		owners, err := queryOwners(ctx, tx)
		if err != nil {
			return nil, err
		}
		b.owners = newOwnerIndex(owners, v)
		if b.userOf, err = loadUsers(ctx, tx); err != nil {
			return nil, err
		}
	case source.MergeSKU:
		products, err := queryProducts(ctx, tx)
		if err != nil {
			return nil, err
		}
		b.product = newProductIndex(products, v)
	}
	if slices.ContainsFunc(t.Fields, func(f source.Field) bool { return f.ViaParent }) {
		// The only such reference is an appointment's owner, via its pet.
		if err := b.refs.loadPetOwners(ctx); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// handle decides and records one source row.
func (b *batchWriter) handle(ctx context.Context, rec source.Record, rowErr *source.RowError) error {
	b.counts.read++
	var o outcome
	first, dup := b.seen[rec.SourceID]
	status, reason, early := Early(rec, rowErr)
	switch {
	case early && rowErr != nil:
		// A damaged row has one critical issue, its RowError; what the
		// normaliser made of its cells is kept only as warnings.
		o = reject(reason, rowErr.Field, rowErr.Value, i18n.Text{EN: rowErr.Error()})
		rec.Issues = nonCritical(rec.Issues)
	case early && status == StatusSkipped:
		o = outcome{status: StatusSkipped, reason: reason}
		o.add(Info, reason, "", "", i18n.T("fila omitida: %s", "row skipped: %s", reason))
	case early && reason == source.IssueMissingID:
		if o = (outcome{status: StatusError, reason: source.IssueMissingID}); !hasIssue(rec, source.IssueMissingID) {
			o.add(Critical, source.IssueMissingID, "id", "", i18n.T("la fila no tiene id", "row has no id"))
		}
	case early:
		// The id cannot be stored whole; the record keeps it cut to
		// source.MaxIDLength and source_data the full text.
		o = outcome{status: status, reason: reason}
	case dup:
		// The first row of an id that reached the destination wins; a later
		// one is never merged into it.
		o = outcome{status: StatusSkipped, reason: ReasonAlreadyImported}
		if !hasIssue(rec, source.IssueDuplicateID) {
			o.add(Warning, source.IssueDuplicateID, "id", rec.SourceID,
				i18n.T("el id %s ya se importó de la línea %d de este archivo; se conserva esa fila",
					"id %s was already imported from line %d of this file; that row is kept", rec.SourceID, first))
		}
	case b.refs.has(b.t.SourceType, rec.SourceID):
		b.seen[rec.SourceID] = rec.Line
		return b.reimport(ctx, rec)
	default:
		var err error
		o, err = b.decide(ctx, rec)
		if err != nil {
			return err
		}
		b.noteOccurrence(rec, &o)
	}
	b.flagFormulas(rec, &o)
	return b.record(ctx, rec, o)
}

// noteOccurrence remembers which row holds an id. Only a row that reached
// the destination does: when an earlier occurrence was rejected or
// orphaned, a later valid one is imported (and says so), and every
// occurrence keeps its own record.
func (b *batchWriter) noteOccurrence(rec source.Record, o *outcome) {
	earlier, failed := b.failed[rec.SourceID]
	if o.status == StatusImported || o.status == StatusDuplicate {
		b.seen[rec.SourceID] = rec.Line
		if failed {
			o.add(Info, "earlier_occurrence_not_imported", "id", rec.SourceID,
				i18n.T("el id %s también está en la línea %d, que no se importó; esta fila sí",
					"id %s also appears at line %d, which was not imported; this row is", rec.SourceID, earlier))
		}
		return
	}
	b.failed[rec.SourceID] = rec.Line
}

// onePerProblem keeps one issue per (type, field): the normaliser and the
// rules may both see the same bad value (a malformed e-mail is a warning from
// the normaliser and the rejection's critical issue), and one problem must
// be one issue. The most severe one stays, in the place of the first.
func onePerProblem(issues []source.Issue) []source.Issue {
	at := make(map[[2]string]int, len(issues))
	out := issues[:0:0]
	for _, is := range issues {
		k := [2]string{is.Type, is.Field}
		i, seen := at[k]
		if !seen {
			at[k] = len(out)
			out = append(out, is)
			continue
		}
		if severityRank(is.Severity) > severityRank(out[i].Severity) {
			out[i] = is
		}
	}
	return out
}

func severityRank(s string) int {
	switch s {
	case Critical:
		return 2
	case Warning:
		return 1
	}
	return 0
}

func nonCritical(issues []source.Issue) []source.Issue {
	var out []source.Issue
	for _, is := range issues {
		if is.Severity != Critical {
			out = append(out, is)
		}
	}
	return out
}

// decide applies the rules common to every type, then the type's own.
func (b *batchWriter) decide(ctx context.Context, rec source.Record) (outcome, error) {
	c := Check(b.t, rec, b.exportDir)
	var o outcome
	var err error
	if c.Bad {
		o = rejectProblem(c.Problem)
	} else {
		o, err = b.decideType(ctx, rec, c)
	}
	o.issues = append(o.issues, c.Warnings...)
	return o, err
}

// decideType applies a type's rules to a row that passed Check.
func (b *batchWriter) decideType(ctx context.Context, rec source.Record, c Checked) (outcome, error) {
	return b.rules.decide(b, ctx, rec, c)
}

// record writes the migration record, mapping, issues and reject line.
func (b *batchWriter) record(ctx context.Context, rec source.Record, o outcome) error {
	switch {
	case o.status == StatusImported:
		b.counts.imported++
	case o.status == StatusUpdated:
		b.counts.updated++
	case o.status == StatusUnchanged:
		b.counts.unchanged++
	case o.status == StatusDuplicate:
		b.counts.merged++
	case o.status == StatusError:
		b.counts.rejected++
	case o.reason == ReasonOrphaned:
		b.counts.orphaned++
	default:
		b.counts.skipped++
	}
	scrubNUL(&rec)
	issues := onePerProblem(append(append([]source.Issue(nil), rec.Issues...), o.issues...))
	for i := range issues {
		issues[i].Value, issues[i].Message, issues[i].MessageES = noNUL(issues[i].Value), noNUL(issues[i].Message), noNUL(issues[i].MessageES)
	}
	recordID, err := b.tables.nextID(ctx, "migration_migrationrecord")
	if err != nil {
		return err
	}
	var target, duplicateOf any
	if o.targetID != 0 && !b.dryRun {
		target = o.targetID
		if o.status == StatusDuplicate {
			duplicateOf = o.targetID
		}
	}
	validation := issuesJSON(issues)
	raw := rawJSON(rec.Raw)
	var previous any
	if len(o.previous) > 0 {
		previous = o.previous
	}
	if err := b.tables.add(ctx, "migration_migrationrecord", []any{
		recordID, b.batchID, b.t.SourceType, clipID(rec.SourceID), rec.Line, o.status, o.reason,
		raw, rawLine(b.t, rec, o), validation, errorMessage(issues, b.im.opts.Lang), o.targetModel, target, duplicateOf, previous, b.now,
	}); err != nil {
		return err
	}
	var linked map[int64]bool
	for _, is := range issues {
		b.counts.issues++
		if open, ok := b.openIssues[issueKey{rec.SourceID, is.Type, is.Field}]; ok && rec.SourceID != "" {
			if !linked[open] {
				if linked == nil {
					linked = map[int64]bool{}
				}
				linked[open] = true
				if err := b.tables.add(ctx, "migration_issuebatch", []any{open, b.batchID, recordID}); err != nil {
					return err
				}
			}
			continue
		}
		if err := b.tables.add(ctx, "migration_dataqualityissue", []any{
			b.batchID, recordID, b.t.SourceType, rec.SourceID, is.Severity, is.Type, is.Field, is.In(b.im.opts.Lang), is.Value,
			false, "", "", b.now,
		}); err != nil {
			return err
		}
	}
	if o.targetID != 0 && (o.status == StatusImported || o.status == StatusDuplicate) {
		if err := b.mapID(ctx, rec.SourceID, o.targetModel, o.targetID, o.merged); err != nil {
			return err
		}
	} else if o.status != StatusSkipped || o.reason != ReasonAlreadyImported {
		// A row imported earlier keeps its mapping whatever its new version says.
		if !b.refs.has(b.t.SourceType, rec.SourceID) {
			b.refs.markMissing(b.t.SourceType, rec.SourceID, missingReason(o))
		}
	}
	if o.status == StatusError || o.reason == ReasonOrphaned {
		b.noteProblem(rec, issues)
		return b.writeReject(rec, issues)
	}
	return nil
}

// columnIssues raises one warning per column of the file whose values reach
// no field and that the mapping file does not declare as not migrated: the
// file's issue, not any row's (no record, no source id).
func (b *batchWriter) columnIssues(ctx context.Context, cols []source.Column) error {
	for _, c := range cols {
		b.counts.issues++
		msg := fmt.Sprintf("column %d %q: %d non-empty cell(s) reach no field; map it or declare it in the mapping file's ignore list",
			c.Index, c.Header, c.Filled)
		if c.Competes != "" {
			msg = fmt.Sprintf("column %d %q competes with %q for field %s: %d non-empty cell(s) not migrated; map it elsewhere or declare it in the mapping file's ignore list",
				c.Index, c.Header, c.CompetesWith, c.Competes, c.Filled)
		}
		if err := b.tables.add(ctx, "migration_dataqualityissue", []any{
			b.batchID, nil, b.t.SourceType, "", source.SevWarning, source.IssueColumnNotMigrated, noNUL(clipID(c.Header)), noNUL(msg),
			noNUL(c.Sample), false, "", "", b.now,
		}); err != nil {
			return err
		}
	}
	return nil
}

// noteProblem keeps the first few rejections, positioned, for the summary.
func (b *batchWriter) noteProblem(rec source.Record, issues []source.Issue) {
	if len(b.problems) >= maxProblems {
		return
	}
	for _, is := range issues {
		if is.Severity != Critical && is.Type != "orphaned_record" {
			continue
		}
		if strings.HasPrefix(is.Message, rec.File+":") { // a RowError already says where
			b.problems = append(b.problems, is.Message)
			return
		}
		pos := fmt.Sprintf("%s:%d", rec.File, rec.Line)
		if is.Column > 0 {
			pos += fmt.Sprintf(":%d", is.Column)
		}
		b.problems = append(b.problems, fmt.Sprintf("%s: %s: %s", pos, is.Type, is.In(b.im.opts.Lang)))
		return
	}
}

func missingReason(o outcome) string {
	if o.status == StatusError {
		return "rejected (" + o.reason + ")"
	}
	return o.reason
}

func (b *batchWriter) mapID(ctx context.Context, sourceID, model string, target int64, merged bool) error {
	b.refs.set(b.t.SourceType, sourceID, target)
	if b.dryRun {
		return nil
	}
	return b.tables.add(ctx, "migration_externalidmapping", []any{
		"okvet", b.t.SourceType, sourceID, model, target, b.batchID, merged, b.now,
	})
}

// errorMessage is a record's validation messages joined with "; ", each
// as "field: message" when the issue names a field (as migration 0007
// filled it for earlier records).
func errorMessage(issues []source.Issue, l i18n.Lang) string {
	parts := make([]string, 0, len(issues))
	for _, is := range issues {
		if is.Field != "" {
			parts = append(parts, is.Field+": "+is.In(l))
		} else {
			parts = append(parts, is.In(l))
		}
	}
	return strings.Join(parts, "; ")
}

// clipID cuts an id to what migration_migrationrecord.source_id holds; a
// longer id was already rejected (id_too_long) and source_data keeps it whole.
func clipID(id string) string {
	if utf8.RuneCountInString(id) <= source.MaxIDLength {
		return id
	}
	return string([]rune(id)[:source.MaxIDLength])
}

func (b *batchWriter) flush(ctx context.Context) error {
	if err := b.tables.flushAll(ctx); err != nil {
		return err
	}
	if b.rules.finish == nil {
		return nil
	}
	return b.rules.finish(b, ctx)
}

// writeReject appends the original line and its reasons to the reject file.
func (b *batchWriter) writeReject(rec source.Record, issues []source.Issue) error {
	if b.im.opts.RejectDir == "" {
		return nil
	}
	if b.rejectCSV == nil {
		if err := os.MkdirAll(b.im.opts.RejectDir, 0o755); err != nil {
			return fmt.Errorf("create reject folder: %w", err)
		}
		f, err := createRejectFile(b.im.opts.RejectDir, fmt.Sprintf("%d-%s", b.batchID, b.t.Name))
		if err != nil {
			return err
		}
		b.rejectPath = f.Name()
		b.rejectFile = f
		b.rejectCSV = csvsafe.NewWriter(f)
		b.rejectCSV.Write([]string{"archivo", "linea", "id", "motivos", "linea_original"})
	}
	var reasons []string
	for _, is := range issues {
		if is.Severity == Critical || is.Type == "orphaned_record" {
			reasons = append(reasons, is.Type+": "+is.In(b.im.opts.Lang))
		}
	}
	return b.rejectCSV.Write([]string{rec.File, strconv.Itoa(rec.Line), rec.SourceID, strings.Join(reasons, "; "), rec.RawText})
}

// createRejectFile creates <dir>/<base>.csv, or <base>-2.csv, -3... when
// it exists: a reject file is never overwritten (RejectDir is per database,
// but a database restored from a copy starts its batches again).
func createRejectFile(dir, base string) (*os.File, error) {
	for n := 1; n < 1000; n++ {
		name := base + ".csv"
		if n > 1 {
			name = fmt.Sprintf("%s-%d.csv", base, n)
		}
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("create reject file: %w", err)
		}
	}
	return nil, fmt.Errorf("create reject file: %s: too many files named %s-N.csv", dir, base)
}

func (b *batchWriter) closeRejects() {
	if b.rejectCSV != nil {
		b.rejectCSV.Flush()
		b.rejectFile.Close()
	}
}
