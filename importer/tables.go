package importer

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// copyOrder lists the COPY columns of every table the importer writes, in
// the order foreign keys require them to be flushed.
var copyOrder = []struct {
	table   string
	columns []string
	tracked bool // a migration_* table, written even in a dry run
}{
	{"accounts_user", []string{"id", "email", "first_name", "last_name", "date_joined"}, false},
	{"vet_clinic_ownerprofile", []string{"id", "user_id", "full_name", "phone", "mobile", "document_type", "document_number",
		"address", "city", "notes", "registered_at", "data_consent", "data_consent_at"}, false},
	{"pets_pet", []string{"id", "owner_id", "name", "species", "species_raw", "breed", "sex", "birth_date", "weight_kg",
		"color", "microchip_number", "is_sterilized", "is_deceased", "notes"}, false},
	{"medical_medicalrecord", []string{"id", "pet_id", "date", "record_type", "description", "diagnosis", "treatment",
		"notes", "vet_external_id"}, false},
	{"medical_vaccinationrecord", []string{"id", "pet_id", "vaccine_name", "applied_on", "next_due_on", "batch_number",
		"laboratory", "vet_external_id"}, false},
	{"inventory_product", []string{"id", "sku", "name", "category", "product_type", "price", "cost", "stock", "unit",
		"is_active"}, false},
	{"appointments_appointment", []string{"id", "pet_id", "owner_id", "starts_at", "duration_minutes", "reason", "status",
		"status_raw", "vet_external_id", "notes"}, false},
	{"billing_invoice", []string{"id", "owner_id", "number", "issued_on", "subtotal", "discount", "tax", "total", "status",
		"payment_method", "notes"}, false},
	{"billing_invoiceitem", []string{"id", "invoice_id", "product_id", "description", "quantity", "unit_price", "discount",
		"tax", "total"}, false},
	{"documents_document", []string{"id", "pet_id", "owner_id", "file", "original_path", "document_type", "description",
		"document_date", "size_bytes", "sha256"}, false},
	{"migration_migrationrecord", []string{"id", "batch_id", "source_type", "source_id", "line_number", "status", "reason",
		"raw_data", "raw_line", "validation_errors", "target_model", "target_id", "previous_values"}, true},
	{"migration_dataqualityissue", []string{"batch_id", "record_id", "source_type", "source_id", "severity", "issue_type",
		"field_name", "description", "source_value"}, true},
	{"migration_issuebatch", []string{"issue_id", "batch_id", "record_id"}, true},
	{"migration_externalidmapping", []string{"source_type", "source_id", "target_model", "target_id", "batch_id",
		"is_merged"}, true},
}

// tableBuffers collects rows per table and writes them with COPY. Ids are
// reserved from each table's sequence ahead of time so mappings and records
// can name rows before they are written.
type tableBuffers struct {
	tx      pgx.Tx
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

func newTableBuffers(tx pgx.Tx, limit int, dryRun bool) *tableBuffers {
	return &tableBuffers{tx: tx, limit: limit, dryRun: dryRun, rows: map[string][][]any{}, ids: map[string][]int64{}}
}

func isTracked(table string) bool {
	for _, t := range copyOrder {
		if t.table == table {
			return t.tracked
		}
	}
	return false
}

// nextID reserves the next id of table's sequence.
func (tb *tableBuffers) nextID(ctx context.Context, table string) (int64, error) {
	if tb.dryRun && !isTracked(table) {
		tb.virtual--
		return tb.virtual, nil
	}
	if len(tb.ids[table]) == 0 {
		// The sequence is looked up once per reservation, not once per id
		// (pg_get_serial_sequence per row took most of the query's time).
		rows, err := tb.tx.Query(ctx, `WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence($1, 'id')::regclass AS seq)
			SELECT nextval(s.seq) FROM s, generate_series(1, $2)`, table, tb.limit)
		if err != nil {
			return 0, fmt.Errorf("reserve ids for %s: %w", table, err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return 0, fmt.Errorf("reserve ids for %s: %w", table, err)
		}
		tb.ids[table] = ids
	}
	id := tb.ids[table][0]
	tb.ids[table] = tb.ids[table][1:]
	return id, nil
}

// add buffers one row; destination rows are dropped in a dry run.
func (tb *tableBuffers) add(ctx context.Context, table string, row []any) error {
	if tb.dryRun && !isTracked(table) {
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

// flushAll writes every buffer, parents before children.
func (tb *tableBuffers) flushAll(ctx context.Context) error {
	if tb.flushing { // rows added by beforeTracked are written by the running flush
		return nil
	}
	tb.flushing = true
	defer func() { tb.flushing = false }()
	hooked := false
	for _, t := range copyOrder {
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
		if _, err := tb.tx.CopyFrom(ctx, pgx.Identifier{t.table}, t.columns, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("write %s: %w", t.table, err)
		}
		tb.rows[t.table] = rows[:0]
	}
	tb.pending = 0
	return nil
}
