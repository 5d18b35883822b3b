package importer

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/petfriendly/recon/source"
)

// trackedTables are the migration_* tables the importer writes (even in a
// dry run), with their COPY columns. The destination tables and their
// columns come from the type table (source.Types, Type.Columns).
func trackedTables() []copyTable {
	return []copyTable{
		{"migration_migrationrecord", []string{"id", "batch_id", "source_type", "source_id", "line_number", "status", "reason",
			"source_data", "raw_line", "validation_errors", "error_message", "target_model", "target_id", "duplicate_of",
			"previous_values", "created_at"}, true},
		{"migration_dataqualityissue", []string{"batch_id", "record_id", "source_type", "source_id", "severity", "issue_type",
			"field_name", "description", "source_value", "resolved", "resolution", "resolved_by_name", "created_at"}, true},
		{"migration_issuebatch", []string{"issue_id", "batch_id", "record_id"}, true},
		{"migration_externalidmapping", []string{"source_system", "source_type", "source_id", "target_model", "target_id", "batch_id",
			"is_merged", "created_at"}, true},
	}
}

// copyTable is one table the importer writes with COPY.
type copyTable struct {
	table   string
	columns []string
	tracked bool // a migration_* table, written even in a dry run
}

// tableLayout is what a batch writes, derived from the type table when the
// batch starts: every table in flush order (the destination tables in the
// type table's order, parents first, then the tracking tables) and each
// destination table's columns.
type tableLayout struct {
	order []copyTable
	dest  map[string][]source.DestColumn
}

func newTableLayout(types []source.Type) (*tableLayout, error) {
	l := &tableLayout{dest: map[string][]source.DestColumn{}}
	for _, t := range types {
		for _, table := range t.Tables() {
			if _, dup := l.dest[table]; dup {
				return nil, fmt.Errorf("importer: destination table %s belongs to two types", table)
			}
			cols := t.Columns(table)
			l.dest[table] = cols
			names := make([]string, len(cols))
			for i, c := range cols {
				names[i] = c.Name
			}
			l.order = append(l.order, copyTable{table: table, columns: names})
		}
	}
	l.order = append(l.order, trackedTables()...)
	return l, nil
}

// tracked says whether table is a migration_* table.
func (l *tableLayout) tracked(table string) bool {
	for _, t := range l.order {
		if t.table == table {
			return t.tracked
		}
	}
	return false
}

// rowValues orders the values the import rules computed for a destination
// row as table's columns: a column without a value takes its fixed value
// (now for the batch's time), and a value for a column the type table does
// not list, or a computed column left without one, is an error, so the
// rules and the column list cannot drift apart silently.
func (l *tableLayout) rowValues(table string, vals map[string]any, now time.Time) ([]any, error) {
	cols, ok := l.dest[table]
	if !ok {
		return nil, fmt.Errorf("importer: %s is not a destination table of the type table", table)
	}
	row := make([]any, len(cols))
	used := 0
	for i, c := range cols {
		v, given := vals[c.Name]
		switch {
		case given && c.Fixed():
			return nil, fmt.Errorf("importer: %s.%s is fixed by the type table; the rules gave it a value", table, c.Name)
		case given:
			used++
		case c.Const != nil:
			v = c.Const
		case c.Now:
			v = now
		default:
			return nil, fmt.Errorf("importer: the rules gave no value for %s.%s", table, c.Name)
		}
		row[i] = v
	}
	if used != len(vals) {
		var extra []string
		for name := range vals {
			if !slices.ContainsFunc(cols, func(c source.DestColumn) bool { return c.Name == name }) {
				extra = append(extra, name)
			}
		}
		sort.Strings(extra)
		return nil, fmt.Errorf("importer: the rules wrote %s columns the type table does not list: %s", table, strings.Join(extra, ", "))
	}
	return row, nil
}

// destColumnsOf looks a destination table's columns up in the type table.
func destColumnsOf(table string) []source.DestColumn {
	for _, t := range source.Types() {
		if slices.Contains(t.Tables(), table) {
			return t.Columns(table)
		}
	}
	return nil
}

// tableBuffers collects rows per table and writes them with COPY. Ids are
// reserved from each table's sequence ahead of time so mappings and records
// can name rows before they are written.
type tableBuffers struct {
	tx      dbTx
	layout  *tableLayout
	limit   int
	dryRun  bool
	rows    map[string][][]any
	pending int
	ids     map[string][]int64
	virtual int64 // dry-run ids count down from -1
	// beforeTracked runs inside each flush between the destination tables
	// and the tracking tables: re-imported rows are compared there and
	// their records added.
	beforeTracked func(context.Context) error
	flushing      bool
}

func newTableBuffers(tx dbTx, layout *tableLayout, limit int, dryRun bool) *tableBuffers {
	return &tableBuffers{tx: tx, layout: layout, limit: limit, dryRun: dryRun, rows: map[string][][]any{}, ids: map[string][]int64{}}
}

// add buffers one row; destination rows are dropped in a dry run.
func (tb *tableBuffers) add(ctx context.Context, table string, row []any) error {
	if tb.dryRun && !tb.layout.tracked(table) {
		return nil
	}
	tb.rows[table] = append(tb.rows[table], row)
	tb.pending++
	if tb.pending >= tb.limit {
		return tb.flushAll(ctx)
	}
	return nil
}

// bump counts a row buffered elsewhere (a re-imported row waiting for its
// comparison) towards the chunk size.
func (tb *tableBuffers) bump(ctx context.Context) error {
	tb.pending++
	if tb.pending >= tb.limit {
		return tb.flushAll(ctx)
	}
	return nil
}

// nextID reserves the next id of table's sequence.
func (tb *tableBuffers) nextID(ctx context.Context, table string) (int64, error) {
	if tb.dryRun && !tb.layout.tracked(table) {
		tb.virtual--
		return tb.virtual, nil
	}
	if len(tb.ids[table]) == 0 {
		ids, err := reserveIDs(ctx, tb.tx, table, tb.limit)
		if err != nil {
			return 0, err
		}
		tb.ids[table] = ids
	}
	id := tb.ids[table][0]
	tb.ids[table] = tb.ids[table][1:]
	return id, nil
}

// flushAll writes every buffer, parents before children.
func (tb *tableBuffers) flushAll(ctx context.Context) error {
	if tb.flushing { // rows added by beforeTracked are written by the running flush
		return nil
	}
	tb.flushing = true
	defer func() { tb.flushing = false }()
	hooked := false
	for _, t := range tb.layout.order {
		if t.tracked && !hooked && tb.beforeTracked != nil {
			hooked = true
			if err := tb.beforeTracked(ctx); err != nil {
				return err
			}
		}
		rows := tb.rows[t.table]
		if len(rows) == 0 {
			continue
		}
		if err := copyRows(ctx, tb.tx, t.table, t.columns, rows); err != nil {
			return err
		}
		tb.rows[t.table] = rows[:0]
	}
	tb.pending = 0
	return nil
}
