package importer

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
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
	{"migration_externalidmapping", []string{"source_type", "source_id", "target_model", "target_id", "batch_id",
		"is_merged"}, true},
}

// tableBuffers collects rows per table and writes them with COPY. Ids are
// reserved from each table's sequence ahead of time so mappings and records
// can name rows before they are written.
//
// A full chunk is written by a background goroutine while the batch goes on
// deciding the next rows (double buffering): the client's rule evaluation
// overlaps with the server's COPY instead of taking turns with it. The
// transaction has one connection, so every other statement of the batch
// waits for the COPY in flight first (wait, and serialTx for the batch's
// own statements); chunks are written one after the other, in order, so
// parents still reach the server before their children.
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
	// their records added. hookIdle reports it has nothing to do, which
	// lets a chunk be written in the background.
	beforeTracked func(context.Context) error
	hookIdle      func() bool
	flushing      bool

	inflight chan error         // result of the background COPY, nil when none
	writing  map[string][][]any // the buffers it is writing
	spare    map[string][][]any // written buffers, reused for the next chunk
	failed   error              // first background failure: the batch is lost
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

// wait returns once no COPY is in flight, with the first background error.
func (tb *tableBuffers) wait() error {
	if tb.inflight != nil {
		err := <-tb.inflight
		tb.inflight = nil
		tb.spare, tb.writing = tb.writing, nil
		if err != nil && tb.failed == nil {
			tb.failed = err
		}
	}
	return tb.failed
}

// nextID reserves the next id of table's sequence.
func (tb *tableBuffers) nextID(ctx context.Context, table string) (int64, error) {
	if tb.dryRun && !isTracked(table) {
		tb.virtual--
		return tb.virtual, nil
	}
	if len(tb.ids[table]) == 0 {
		if err := tb.wait(); err != nil {
			return 0, err
		}
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
		return tb.flushChunk(ctx)
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

// flushChunk writes a full chunk: in the background when the hook has
// nothing to add to it, else at once.
func (tb *tableBuffers) flushChunk(ctx context.Context) error {
	if tb.flushing {
		return nil
	}
	if tb.hookIdle == nil || !tb.hookIdle() {
		return tb.flushAll(ctx)
	}
	if err := tb.wait(); err != nil {
		return err
	}
	out := tb.rows
	tb.rows, tb.spare = tb.spare, nil
	if tb.rows == nil {
		tb.rows = map[string][][]any{}
	}
	for table, rows := range tb.rows {
		tb.rows[table] = rows[:0]
	}
	tb.pending = 0
	done := make(chan error, 1)
	tb.inflight, tb.writing = done, out
	go func() { done <- copyTables(ctx, tb.tx, out, false, true) }()
	return nil
}

// flushAll writes every buffer, parents before children, and returns when
// they are written.
func (tb *tableBuffers) flushAll(ctx context.Context) error {
	if tb.flushing { // rows added by beforeTracked are written by the running flush
		return nil
	}
	if err := tb.wait(); err != nil {
		return err
	}
	tb.flushing = true
	defer func() { tb.flushing = false }()
	if err := copyTables(ctx, tb.tx, tb.rows, false, false); err != nil {
		return err
	}
	if tb.beforeTracked != nil {
		if err := tb.beforeTracked(ctx); err != nil {
			return err
		}
	}
	if err := copyTables(ctx, tb.tx, tb.rows, true, true); err != nil {
		return err
	}
	for table, rows := range tb.rows {
		tb.rows[table] = rows[:0]
	}
	tb.pending = 0
	return nil
}

// copyTables writes the buffered rows of the tables in copyOrder from the
// destination tables (tracked false) or the tracking tables (tracked true)
// up to the tracking tables (through true).
func copyTables(ctx context.Context, tx pgx.Tx, buffers map[string][][]any, tracked, through bool) error {
	for _, t := range copyOrder {
		if t.tracked && !through || !t.tracked && tracked {
			continue
		}
		rows := buffers[t.table]
		if len(rows) == 0 {
			continue
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.table}, t.columns, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("write %s: %w", t.table, err)
		}
	}
	return nil
}

// serialTx is the batch's transaction as its own code uses it: each
// statement first waits for the background COPY, which holds the
// connection. The batch sends no pipelined batches (SendBatch).
type serialTx struct {
	pgx.Tx
	tb *tableBuffers
}

func (s serialTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if err := s.tb.wait(); err != nil {
		return pgconn.CommandTag{}, err
	}
	return s.Tx.Exec(ctx, sql, args...)
}

func (s serialTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := s.tb.wait(); err != nil {
		return nil, err
	}
	return s.Tx.Query(ctx, sql, args...)
}

func (s serialTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if err := s.tb.wait(); err != nil {
		return errRow{err}
	}
	return s.Tx.QueryRow(ctx, sql, args...)
}

func (s serialTx) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	if err := s.tb.wait(); err != nil {
		return 0, err
	}
	return s.Tx.CopyFrom(ctx, table, columns, src)
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
