package importer

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
)

// Re-import and incremental sync: a row whose external id is already mapped
// goes through the same rules as a new one, but its destination rows are
// captured with the existing ids instead of being written. At each flush the
// captured rows are compared, in bulk, with the destination (COPY into a temp
// table, then one query): identical rows are recorded "unchanged", changed
// ones are updated in place and recorded "updated" with the overwritten
// values in previous_values, for rollback.

// capture collects the destination rows the rules build for an already
// imported row.
type capture struct {
	target int64 // the mapped destination row
	user   int64 // clients: the owner's accounts_user row
	rows   []tableRow
}

type tableRow struct {
	table string
	vals  map[string]any // the rules' values by column (rowValues checked them)
}

// reimportRow is an already imported source row waiting for its comparison.
type reimportRow struct {
	rec  source.Record
	o    outcome
	rows []tableRow
}

// newID reserves the id of a new destination row, or names the existing row
// while an already imported row is re-evaluated.
func (b *batchWriter) newID(ctx context.Context, table string) (int64, error) {
	if b.cur != nil {
		if table == "accounts_user" {
			return b.cur.user, nil
		}
		return b.cur.target, nil
	}
	return b.tables.nextID(ctx, table)
}

// put buffers a destination row, or captures it for comparison. vals are
// the rules' values by column; rowValues orders them as the type table
// lists the columns and refuses any mismatch.
func (b *batchWriter) put(ctx context.Context, table string, vals map[string]any) error {
	row, err := b.tables.layout.rowValues(table, vals, b.now)
	if err != nil {
		return err
	}
	if b.cur != nil {
		b.cur.rows = append(b.cur.rows, tableRow{table, vals})
		return nil
	}
	return b.tables.add(ctx, table, row)
}

// reimport re-evaluates a row whose id an earlier batch mapped.
func (b *batchWriter) reimport(ctx context.Context, rec source.Record) error {
	target, _ := b.refs.lookup(b.t.SourceType, rec.SourceID)
	// A merged duplicate has no row of its own; a negative target is a row an
	// earlier file of this dry run would have written.
	if b.refs.isMerged(b.t.SourceType, rec.SourceID) || target < 0 {
		o := outcome{status: StatusUnchanged, targetModel: b.t.Table, targetID: target}
		b.flagFormulas(rec, &o)
		return b.record(ctx, rec, o)
	}
	c := &capture{target: target}
	if b.userOf != nil {
		c.user = b.userOf[target]
	}
	b.cur = c
	o, err := b.decide(ctx, rec)
	b.cur = nil
	if err != nil {
		return err
	}
	b.flagFormulas(rec, &o)
	if o.status != StatusImported {
		// The newer version is rejected or orphaned: the destination keeps
		// the version imported earlier.
		o.targetModel, o.targetID = b.t.Table, target
		o.add(Warning, "kept_previous_version", "id", rec.SourceID,
			i18n.T("la fila ya la importó un lote anterior; el destino conserva esa versión",
				"row was imported by an earlier batch; the destination keeps that version"))
		return b.record(ctx, rec, o)
	}
	b.reimports = append(b.reimports, reimportRow{rec: rec, o: o, rows: c.rows})
	return b.tables.bump(ctx)
}

// keepIfNull names a column a re-import cannot know again: date_joined is
// the import time when the export has no registration date, so a NULL keeps
// the destination's value.
func keepIfNull(table, column string) bool {
	return table == "accounts_user" && column == "date_joined"
}

// touchColumn is the table's "last modified" column, set by an update and
// restored by a rollback; empty when the table has none.
func touchColumn(table string) string {
	for _, c := range destColumnsOf(table) {
		if c.Name == "updated_at" && c.Now {
			return c.Name
		}
	}
	return ""
}

// compareColumns are the columns a re-import compares and updates: every
// column the rules compute (id and the fixed ones aside), in the type
// table's order.
func compareColumns(table string) []string {
	var out []string
	for _, c := range destColumnsOf(table) {
		if c.Name != "id" && !c.Fixed() {
			out = append(out, c.Name)
		}
	}
	return out
}

// compareRow is a captured row as the comparison's COPY row: id, then
// the compareColumns cols.
func compareRow(cols []string, vals map[string]any) []any {
	row := []any{vals["id"]}
	for _, c := range cols {
		row = append(row, vals[c])
	}
	return row
}

// restoreColumns are the columns previous_values holds for a table.
func restoreColumns(table string) []string {
	cols := compareColumns(table)
	if tc := touchColumn(table); tc != "" {
		cols = append(append([]string(nil), cols...), tc)
	}
	return cols
}

// verdict is what the comparison found for one destination row; rows found
// identical have none.
type verdict struct {
	missing  bool
	changed  bool
	previous json.RawMessage // the overwritten values, when changed
	kept     []string        // corrected columns left as the operator set them, the export saying otherwise
}

// resolveReimports compares the waiting rows with the destination, updates
// the changed ones and records every row's outcome. It runs inside a flush,
// after the new destination rows and before the tracking rows are written.
func (b *batchWriter) resolveReimports(ctx context.Context) error {
	if len(b.reimports) == 0 {
		return nil
	}
	byTable := map[string][][]any{}
	cols := map[string][]string{}
	for _, r := range b.reimports {
		for _, tr := range r.rows {
			if cols[tr.table] == nil {
				cols[tr.table] = compareColumns(tr.table)
			}
			byTable[tr.table] = append(byTable[tr.table], compareRow(cols[tr.table], tr.vals))
		}
	}
	verdicts := map[string]map[int64]verdict{}
	for _, t := range b.tables.layout.order {
		if rows := byTable[t.table]; len(rows) > 0 {
			v, err := b.compareTable(ctx, t.table, rows)
			if err != nil {
				return err
			}
			verdicts[t.table] = v
		}
	}
	for _, r := range b.reimports {
		o := r.o
		previous := map[string]json.RawMessage{}
		missing := ""
		keptFields := map[string]bool{}
		for _, tr := range r.rows {
			v, ok := verdicts[tr.table][tr.vals["id"].(int64)]
			switch {
			case !ok:
			case v.missing:
				missing = tr.table
			case v.changed:
				previous[tr.table] = v.previous
			}
			for _, col := range v.kept {
				field := fieldOfColumn(b.t, tr.table, col)
				if keptFields[field] {
					continue
				}
				keptFields[field] = true
				o.add(Info, "correction_kept", field, "", i18n.T(
					"%s.%s conserva el valor de una corrección manual auditada (recon correct); la exportación tiene otro valor",
					"%s.%s keeps the value of an audited manual correction (recon correct); the export has another value", tr.table, col))
			}
		}
		switch {
		case missing != "":
			o.status, o.reason = StatusError, ReasonTargetMissing
			o.add(Critical, ReasonTargetMissing, "id", r.rec.SourceID, i18n.T(
				"la fila %[2]d de %[1]s a la que se importó este id ya no existe (se borró fuera de recon); no se vuelve a crear",
				"the %s row %d this id was imported to no longer exists (deleted outside recon); not re-created",
				missing, o.targetID))
		case len(previous) > 0:
			o.status, o.previous = StatusUpdated, previous
		default:
			o.status = StatusUnchanged
		}
		if err := b.record(ctx, r.rec, o); err != nil {
			return err
		}
	}
	b.reimports = b.reimports[:0]
	return nil
}

// fieldOfColumn names the source field a destination column comes from,
// or the column itself when no field maps to it: the field whose Column it
// is (an owner's e-mail in accounts_user, an appointment's starts_at by its
// date field), else the field the type table computes it from (an owner's
// first and last name, consent's date).
func fieldOfColumn(t source.Type, table, col string) string {
	in := func(tbl string) string {
		if tbl == "" {
			return t.Table
		}
		return tbl
	}
	for _, f := range t.Fields {
		if in(f.Table) == table && f.Column == col {
			return f.Name
		}
	}
	for _, c := range t.Extra {
		if in(c.Table) == table && c.Name == col && c.From != "" {
			return c.From
		}
	}
	return col
}

// flagFormulas warns about text cells a spreadsheet would evaluate
// (=cmd|' /C calc'!A0, =HYPERLINK(...)): they are stored as plain text and
// never evaluated, but whoever exports them again should know.
func (b *batchWriter) flagFormulas(rec source.Record, o *outcome) {
	for _, f := range b.t.Fields {
		if f.Kind != source.KindText && f.Kind != source.KindName {
			continue
		}
		v := strings.TrimSpace(rec.Raw[f.Name])
		if looksLikeFormula(v) {
			o.add(Warning, "formula_text", f.Name, v, i18n.T("la celda parece una fórmula de hoja de cálculo; se guarda como texto, nunca se evalúa",
				"cell looks like a spreadsheet formula; stored as text, never evaluated"))
		}
	}
}

// looksLikeFormula is deliberately narrow so "- vacunado" or "+57..." in a
// note is not flagged: "=" always, "+ - @" only before a call or a DDE link.
func looksLikeFormula(v string) bool {
	if len(v) < 2 {
		return false
	}
	switch v[0] {
	case '=':
		return true
	case '+', '-', '@':
		return strings.ContainsAny(v, "(|!")
	}
	return false
}
