package importer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/petfriendly/recon/source"
)

// RollbackOptions configure Rollback.
type RollbackOptions struct {
	Cascade  bool // roll back the later batches that depend on this one first
	DryRun   bool // do everything, report it, then undo it
	Wait     bool // wait for a running import or rollback instead of failing
	Operator string
	MediaDir string // content-addressed attachment store
	Now      func() time.Time
}

// TableChange counts what a rollback did to one destination table.
type TableChange struct {
	Table    string `json:"table"`
	Deleted  int    `json:"deleted"`  // rows the batch created, removed
	Restored int    `json:"restored"` // rows the batch updated, given their earlier values back
}

// BatchRollback is what rolling back one batch did.
type BatchRollback struct {
	BatchID  int64         `json:"batch_id"`
	Type     string        `json:"type"` // batch_type
	File     string        `json:"file"`
	Tables   []TableChange `json:"tables"`
	Mappings int           `json:"mappings"` // external id mappings removed
}

// RollbackResult is the outcome of Rollback.
type RollbackResult struct {
	BatchID           int64           `json:"batch_id"`
	DryRun            bool            `json:"dry_run"`
	AlreadyRolledBack bool            `json:"already_rolled_back"` // nothing was done
	RolledBackAt      time.Time       `json:"rolled_back_at"`
	Batches           []BatchRollback `json:"batches"`            // newest first; the requested batch last
	PlaceholderOwners int             `json:"placeholder_owners"` // unreferenced placeholder owners removed
	MediaRemoved      []string        `json:"media_removed"`      // files no document references any more
	MediaWarnings     []string        `json:"media_warnings"`     // files that could not be removed
	// MediaKept: files no document of this database uses any more, kept
	// because another database using the same media folder references them.
	MediaKept   int     `json:"media_kept"`
	Interrupted []int64 `json:"interrupted_batches"` // batches of dead processes marked failed
}

// Dependent is a group of rows, outside the batch being rolled back, that
// use rows the batch created or updated.
type Dependent struct {
	BatchID int64  `json:"batch_id"` // 0: rows recon did not create (the application's own data)
	Type    string `json:"type"`
	File    string `json:"file"`
	Table   string `json:"table"`
	Rows    int    `json:"rows"`
	Why     string `json:"why"` // e.g. "pets_pet.owner_id -> vet_clinic_ownerprofile", "merged duplicate", "updated later"
}

// DependentsError refuses a rollback that would break rows of later batches
// (or rows recon did not create, which --cascade cannot help with).
type DependentsError struct {
	BatchID    int64
	Dependents []Dependent
}

func (e *DependentsError) Error() string {
	var parts []string
	for _, d := range e.Dependents {
		who := "rows not created by recon"
		if d.BatchID != 0 {
			who = fmt.Sprintf("batch %d (%s)", d.BatchID, d.Type)
		}
		parts = append(parts, fmt.Sprintf("%s: %d %s rows (%s)", who, d.Rows, d.Table, d.Why))
	}
	return fmt.Sprintf("rollback batch %d: later data depends on it: %s", e.BatchID, strings.Join(parts, "; "))
}

// Cascadable tells whether --cascade would resolve every dependency.
func (e *DependentsError) Cascadable() bool {
	for _, d := range e.Dependents {
		if d.BatchID == 0 {
			return false
		}
	}
	return true
}

// ErrNotRollbackable marks a batch that left nothing to roll back (failed).
var ErrNotRollbackable = errors.New("nothing to roll back")

// ErrBatchNotFound marks an unknown batch id.
var ErrBatchNotFound = errors.New("batch not found")

type batchInfo struct {
	id           int64
	typ, file    string
	status       string
	rolledBackAt *time.Time
}

// Rollback removes every destination row batch batchID created and its
// mappings, restores the rows it updated and marks it rolled_back, all in
// one transaction under the import lock. Media files no remaining document
// references are removed after the commit.
func Rollback(ctx context.Context, pool *pgxpool.Pool, batchID int64, opts RollbackOptions) (RollbackResult, error) {
	res := RollbackResult{BatchID: batchID, DryRun: opts.DryRun}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	lock, err := AcquireLock(ctx, pool, LockOptions{Command: "rollback", Operator: opts.Operator, Wait: opts.Wait})
	if err != nil {
		return res, err
	}
	defer lock.Release(ctx)
	res.Interrupted = lock.Interrupted
	if err := lock.SetBatch(ctx, batchID); err != nil {
		return res, err
	}

	info, err := readBatch(ctx, pool, batchID)
	if err != nil {
		return res, err
	}
	switch info.status {
	case "rolled_back":
		res.AlreadyRolledBack = true
		if info.rolledBackAt != nil {
			res.RolledBackAt = *info.rolledBackAt
		}
		return res, nil
	case "completed":
	default:
		return res, fmt.Errorf("rollback batch %d: status %s: %w (a failed batch leaves no rows)", batchID, info.status, ErrNotRollbackable)
	}

	var media []mediaRef
	// Repeatable read: the dependency checks and row counts see one
	// snapshot, and rows the application changes meanwhile make the
	// rollback fail instead of being cascaded away.
	err = pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		fks, err := foreignKeys(ctx, tx)
		if err != nil {
			return err
		}
		order, err := rollbackOrder(ctx, tx, fks, info, opts.Cascade)
		if err != nil {
			return err
		}
		before, err := countRows(ctx, tx)
		if err != nil {
			return err
		}
		expected := map[string]int{}
		now := opts.Now()
		for _, b := range order {
			br, m, err := rollbackOne(ctx, tx, fks, b, now, opts.Operator, batchID)
			if err != nil {
				return err
			}
			for _, tc := range br.Tables {
				expected[tc.Table] += tc.Deleted
			}
			media = append(media, m...)
			res.Batches = append(res.Batches, br)
		}
		n, err := removePlaceholders(ctx, tx, fks)
		if err != nil {
			return fmt.Errorf("rollback batch %d: %w", batchID, err)
		}
		res.PlaceholderOwners = n
		expected["vet_clinic_ownerprofile"] += n
		expected["accounts_user"] += n
		// Foreign keys are deferred to the commit: checked here, a row
		// outside the rolled-back batches still pointing at a deleted one
		// fails the rollback with this step named, before anything commits.
		if _, err := tx.Exec(ctx, `SET CONSTRAINTS ALL IMMEDIATE`); err != nil {
			return fmt.Errorf("rollback batch %d: rows still reference the rows it would delete: %w", batchID, err)
		}
		if err := checkCounts(ctx, tx, before, expected); err != nil {
			return fmt.Errorf("rollback batch %d: %w", batchID, err)
		}
		if media, err = unreferenced(ctx, tx, media); err != nil {
			return fmt.Errorf("rollback batch %d: %w", batchID, err)
		}
		res.RolledBackAt = now
		if opts.DryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		media, res.MediaKept, res.MediaWarnings = keepShared(opts.MediaDir, DatabaseKey(pool), media)
		for _, m := range media {
			res.MediaRemoved = append(res.MediaRemoved, m.file)
		}
		return res, nil
	}
	if err != nil {
		return res, err
	}
	if opts.MediaDir == "" {
		res.MediaRemoved, res.MediaWarnings = removeMedia(opts.MediaDir, media)
		return res, nil
	}
	// Exclusive: no documents batch of another database is between storing
	// a file and listing it while files are removed.
	unlock, err := lockMedia(opts.MediaDir, true)
	if err != nil {
		res.MediaWarnings = append(res.MediaWarnings, fmt.Sprintf("%v; no media file removed", err))
		return res, nil
	}
	defer unlock()
	key := DatabaseKey(pool)
	if err := WriteMediaRefs(ctx, pool, opts.MediaDir, key); err != nil {
		res.MediaWarnings = append(res.MediaWarnings, fmt.Sprintf("%v; no media file removed", err))
		return res, nil
	}
	media, res.MediaKept, res.MediaWarnings = keepShared(opts.MediaDir, key, media)
	removed, warnings := removeMedia(opts.MediaDir, media)
	res.MediaRemoved, res.MediaWarnings = removed, append(res.MediaWarnings, warnings...)
	return res, nil
}

// keepShared drops from media the files another database of the same media
// store still references (its reference list names them): the store is
// shared, and those files are theirs too.
func keepShared(mediaDir, key string, media []mediaRef) (out []mediaRef, kept int, warnings []string) {
	if mediaDir == "" || len(media) == 0 {
		return media, 0, nil
	}
	others, err := mediaReferenced(mediaDir, key)
	if err != nil {
		return nil, 0, []string{fmt.Sprintf("%v; no media file removed", err)}
	}
	for _, m := range media {
		if others[m.file] {
			kept++
			continue
		}
		out = append(out, m)
	}
	return out, kept, nil
}

// errDryRun unwinds a dry run's transaction after everything was counted.
var errDryRun = errors.New("dry run")

func readBatch(ctx context.Context, db interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, id int64) (batchInfo, error) {
	b := batchInfo{id: id}
	err := db.QueryRow(ctx, `SELECT batch_type, source_file, status, rolled_back_at FROM migration_migrationbatch WHERE id = $1`, id).
		Scan(&b.typ, &b.file, &b.status, &b.rolledBackAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return b, fmt.Errorf("rollback batch %d: %w", id, ErrBatchNotFound)
	}
	if err != nil {
		return b, fmt.Errorf("rollback batch %d: %w", id, err)
	}
	return b, nil
}

// fk is one single-column foreign key into a destination table.
type fk struct {
	child, column, parent string
}

// foreignKeys reads, from the catalogue, every foreign key that points at a
// destination table, including those of tables recon does not know (the
// application's own), whose rows a rollback must never cascade into.
func foreignKeys(ctx context.Context, tx pgx.Tx) ([]fk, error) {
	rows, err := tx.Query(ctx, `SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text
		FROM pg_constraint c
		JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
		WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND c.confrelid::regclass::text = ANY($1)
		  AND c.conrelid::regclass::text NOT LIKE 'migration\_%'
		ORDER BY 1, 2`, destinationTables())
	if err != nil {
		return nil, fmt.Errorf("read foreign keys: %w", err)
	}
	var out []fk
	var f fk
	_, err = pgx.ForEachRow(rows, []any{&f.child, &f.column, &f.parent}, func() error {
		out = append(out, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read foreign keys: %w", err)
	}
	return out, nil
}

// destinationTables lists every destination table, parents first.
func destinationTables() []string {
	var out []string
	for _, t := range source.Types() {
		out = append(out, t.Tables()...)
	}
	return out
}

func isDestination(table string) bool {
	for _, t := range destinationTables() {
		if t == table {
			return true
		}
	}
	return false
}

// rollbackOrder lists the batches to roll back, newest first, ending with
// info; it refuses when later batches depend on info and cascade is off, or
// when rows recon did not create depend on any of them.
func rollbackOrder(ctx context.Context, tx pgx.Tx, fks []fk, info batchInfo, cascade bool) ([]batchInfo, error) {
	deps, err := dependents(ctx, tx, fks, info.id)
	if err != nil {
		return nil, err
	}
	if len(deps) == 0 {
		return []batchInfo{info}, nil
	}
	refusal := &DependentsError{BatchID: info.id, Dependents: deps}
	if !cascade || !refusal.Cascadable() {
		return nil, refusal
	}
	seen := map[int64]bool{info.id: true}
	var later []int64
	queue := depBatches(deps)
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if seen[id] {
			continue
		}
		seen[id] = true
		later = append(later, id)
		more, err := dependents(ctx, tx, fks, id)
		if err != nil {
			return nil, err
		}
		refusal.Dependents = append(refusal.Dependents, more...)
		if !refusal.Cascadable() {
			return nil, refusal
		}
		queue = append(queue, depBatches(more)...)
	}
	sort.Slice(later, func(i, j int) bool { return later[i] > later[j] })
	var order []batchInfo
	for _, id := range later {
		b, err := readBatch(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		order = append(order, b)
	}
	return append(order, info), nil
}

func depBatches(deps []Dependent) []int64 {
	var out []int64
	for _, d := range deps {
		out = append(out, d.BatchID)
	}
	return out
}

// createdIDs lists, per table, the rows batch id created (owners' users
// included).
func createdIDs(ctx context.Context, tx pgx.Tx, id int64) (map[string][]int64, error) {
	rows, err := tx.Query(ctx, `SELECT target_model, array_agg(target_id ORDER BY target_id) FROM migration_migrationrecord
		WHERE batch_id = $1 AND status = 'imported' AND target_id IS NOT NULL GROUP BY target_model`, id)
	if err != nil {
		return nil, fmt.Errorf("rollback batch %d: read created rows: %w", id, err)
	}
	out := map[string][]int64{}
	var model string
	var ids []int64
	_, err = pgx.ForEachRow(rows, []any{&model, &ids}, func() error {
		if isDestination(model) {
			out[model] = append([]int64(nil), ids...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("rollback batch %d: read created rows: %w", id, err)
	}
	if owners := out["vet_clinic_ownerprofile"]; len(owners) > 0 {
		rows, err := tx.Query(ctx, `SELECT user_id FROM vet_clinic_ownerprofile WHERE id = ANY($1) ORDER BY user_id`, owners)
		if err != nil {
			return nil, fmt.Errorf("rollback batch %d: read owner users: %w", id, err)
		}
		users, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return nil, fmt.Errorf("rollback batch %d: read owner users: %w", id, err)
		}
		out["accounts_user"] = users
	}
	return out, nil
}

// dependents finds rows outside batch id that use its rows: rows pointing
// at them by foreign key (each attributed to the completed batch that last
// created or updated it), merged-duplicate mappings pointing at them, and
// later updates of the same rows.
func dependents(ctx context.Context, tx pgx.Tx, fks []fk, id int64) ([]Dependent, error) {
	created, err := createdIDs(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	type key struct {
		batch      int64
		table, why string
	}
	counts := map[key]int{}
	var order []key
	add := func(k key, n int) {
		if _, ok := counts[k]; !ok {
			order = append(order, k)
		}
		counts[k] += n
	}
	for _, f := range fks {
		ids := created[f.parent]
		if len(ids) == 0 {
			continue
		}
		why := fmt.Sprintf("%s.%s -> %s", f.child, f.column, f.parent)
		var q string
		if isDestination(f.child) {
			q = fmt.Sprintf(`SELECT COALESCE((SELECT r.batch_id FROM migration_migrationrecord r
					JOIN migration_migrationbatch b ON b.id = r.batch_id
					WHERE r.target_model = '%s' AND r.target_id = c.id AND r.status IN ('imported', 'updated')
					  AND b.status = 'completed' AND NOT b.is_dry_run
					ORDER BY r.batch_id DESC LIMIT 1), 0), count(*)
				FROM %s c WHERE c.%s = ANY($1) GROUP BY 1`, f.child, f.child, pgx.Identifier{f.column}.Sanitize())
		} else {
			q = fmt.Sprintf(`SELECT 0::bigint, count(*) FROM %s c WHERE c.%s = ANY($1) HAVING count(*) > 0`,
				f.child, pgx.Identifier{f.column}.Sanitize())
		}
		rows, err := tx.Query(ctx, q, ids)
		if err != nil {
			return nil, fmt.Errorf("rollback batch %d: check %s: %w", id, why, err)
		}
		var batch int64
		var n int
		_, err = pgx.ForEachRow(rows, []any{&batch, &n}, func() error {
			if batch != id {
				add(key{batch, f.child, why}, n)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("rollback batch %d: check %s: %w", id, why, err)
		}
	}
	rows, err := tx.Query(ctx, `SELECT m.batch_id, m.target_model, 'merged duplicate mapped to its rows', count(*)
		FROM migration_externalidmapping m
		JOIN migration_migrationbatch b ON b.id = m.batch_id
		JOIN migration_migrationrecord r ON r.batch_id = $1 AND r.status = 'imported'
		  AND r.target_model = m.target_model AND r.target_id = m.target_id
		WHERE m.is_merged AND m.batch_id <> $1 AND b.status = 'completed'
		GROUP BY 1, 2
		UNION ALL
		SELECT r2.batch_id, r2.target_model, 'updated its rows later', count(*)
		FROM migration_migrationrecord r2
		JOIN migration_migrationbatch b ON b.id = r2.batch_id
		JOIN migration_migrationrecord r ON r.batch_id = $1 AND r.status IN ('imported', 'updated')
		  AND r.target_model = r2.target_model AND r.target_id = r2.target_id
		WHERE r2.status = 'updated' AND r2.batch_id > $1 AND b.status = 'completed' AND NOT b.is_dry_run
		GROUP BY 1, 2`, id)
	if err != nil {
		return nil, fmt.Errorf("rollback batch %d: check mappings and updates: %w", id, err)
	}
	var batch int64
	var model, why string
	var n int
	_, err = pgx.ForEachRow(rows, []any{&batch, &model, &why, &n}, func() error {
		add(key{batch, model, why}, n)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("rollback batch %d: check mappings and updates: %w", id, err)
	}
	var out []Dependent
	for _, k := range order {
		out = append(out, Dependent{BatchID: k.batch, Table: k.table, Rows: counts[k], Why: k.why})
	}
	return describeDependents(ctx, tx, out)
}

// describeDependents fills each dependent batch's type and file.
func describeDependents(ctx context.Context, tx pgx.Tx, deps []Dependent) ([]Dependent, error) {
	for i := range deps {
		if deps[i].BatchID == 0 {
			continue
		}
		err := tx.QueryRow(ctx, `SELECT batch_type, source_file FROM migration_migrationbatch WHERE id = $1`, deps[i].BatchID).
			Scan(&deps[i].Type, &deps[i].File)
		if err != nil {
			return nil, fmt.Errorf("describe batch %d: %w", deps[i].BatchID, err)
		}
	}
	sort.SliceStable(deps, func(i, j int) bool { return deps[i].BatchID > deps[j].BatchID })
	return deps, nil
}

// mediaRef is an attachment a rollback removed or replaced.
type mediaRef struct {
	file, sha string
}

// rollbackOne undoes one batch whose dependents are already gone.
func rollbackOne(ctx context.Context, tx pgx.Tx, fks []fk, b batchInfo, now time.Time, operator string, requested int64) (BatchRollback, []mediaRef, error) {
	br := BatchRollback{BatchID: b.id, Type: b.typ, File: b.file}
	if deps, err := dependents(ctx, tx, fks, b.id); err != nil {
		return br, nil, err
	} else if len(deps) > 0 {
		return br, nil, &DependentsError{BatchID: b.id, Dependents: deps}
	}
	changes := map[string]*TableChange{}
	change := func(table string) *TableChange {
		if changes[table] == nil {
			changes[table] = &TableChange{Table: table}
		}
		return changes[table]
	}
	var media []mediaRef

	// Updated rows get their earlier values back.
	for _, table := range destinationTables() {
		cols := restoreColumns(table)
		if table == "documents_document" {
			rows, err := tx.Query(ctx, `SELECT d.file, d.sha256 FROM documents_document d
				JOIN migration_migrationrecord r ON r.target_id = d.id
				WHERE r.batch_id = $1 AND r.status = 'updated' AND r.previous_values ? 'documents_document'`, b.id)
			if err != nil {
				return br, nil, fmt.Errorf("rollback batch %d: read replaced documents: %w", b.id, err)
			}
			var m mediaRef
			if _, err := pgx.ForEachRow(rows, []any{&m.file, &m.sha}, func() error {
				media = append(media, m)
				return nil
			}); err != nil {
				return br, nil, fmt.Errorf("rollback batch %d: read replaced documents: %w", b.id, err)
			}
		}
		var sets []string
		for _, c := range cols {
			sets = append(sets, fmt.Sprintf("%s = p.%s", c, c))
		}
		tag, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE %s d SET %s
			FROM (SELECT (jsonb_populate_record(NULL::%s, r.previous_values->'%s')).*
			      FROM migration_migrationrecord r
			      WHERE r.batch_id = $1 AND r.status = 'updated' AND r.previous_values ? '%s') p
			WHERE d.id = p.id`, table, strings.Join(sets, ", "), table, table, table), b.id)
		if err != nil {
			return br, nil, fmt.Errorf("rollback batch %d: restore %s: %w", b.id, table, err)
		}
		if n := int(tag.RowsAffected()); n > 0 {
			change(table).Restored = n
		}
	}

	// Created rows go, children before parents (owners before their users).
	created, err := createdIDs(ctx, tx, b.id)
	if err != nil {
		return br, nil, err
	}
	tables := destinationTables()
	for i := len(tables) - 1; i >= 0; i-- {
		table := tables[i]
		ids := created[table]
		if len(ids) == 0 {
			continue
		}
		if table == "documents_document" {
			rows, err := tx.Query(ctx, `DELETE FROM documents_document WHERE id = ANY($1) RETURNING file, sha256`, ids)
			if err != nil {
				return br, nil, fmt.Errorf("rollback batch %d: delete %s: %w", b.id, table, err)
			}
			var m mediaRef
			n, err := pgx.ForEachRow(rows, []any{&m.file, &m.sha}, func() error {
				media = append(media, m)
				return nil
			})
			if err != nil {
				return br, nil, fmt.Errorf("rollback batch %d: delete %s: %w", b.id, table, err)
			}
			change(table).Deleted = int(n.RowsAffected())
			continue
		}
		if table == "accounts_user" {
			// The audit trail's pointers at users are SET_NULL in Django;
			// nothing cascades in the database, so they are nulled here.
			if err := forgetUsers(ctx, tx, ids); err != nil {
				return br, nil, fmt.Errorf("rollback batch %d: %w", b.id, err)
			}
		}
		tag, err := tx.Exec(ctx, fmt.Sprintf(`DELETE FROM %s WHERE id = ANY($1)`, table), ids)
		if err != nil {
			return br, nil, fmt.Errorf("rollback batch %d: delete %s: %w", b.id, table, err)
		}
		change(table).Deleted = int(tag.RowsAffected())
	}

	tag, err := tx.Exec(ctx, `DELETE FROM migration_externalidmapping WHERE batch_id = $1`, b.id)
	if err != nil {
		return br, nil, fmt.Errorf("rollback batch %d: delete mappings: %w", b.id, err)
	}
	br.Mappings = int(tag.RowsAffected())
	if err := handOverIssues(ctx, tx, b.id); err != nil {
		return br, nil, fmt.Errorf("rollback batch %d: %w", b.id, err)
	}
	if err := closeIssues(ctx, tx, b.id, now, operator); err != nil {
		return br, nil, fmt.Errorf("rollback batch %d: %w", b.id, err)
	}
	for _, table := range tables {
		if c := changes[table]; c != nil {
			br.Tables = append(br.Tables, *c)
		}
	}
	summary := map[string]any{"tables": br.Tables, "mappings": br.Mappings, "operator": operator, "requested_batch": requested}
	if _, err := tx.Exec(ctx, `UPDATE migration_migrationbatch SET status = 'rolled_back', rolled_back_at = $2,
		rollback_summary = $3 WHERE id = $1`, b.id, now, summary); err != nil {
		return br, nil, fmt.Errorf("rollback batch %d: mark rolled back: %w", b.id, err)
	}
	return br, media, nil
}

// forgetUsers nulls the batches' created_by and the issues' resolved_by
// that point at users about to be deleted (the names stay in operator and
// resolved_by_name).
func forgetUsers(ctx context.Context, tx pgx.Tx, users []int64) error {
	if _, err := tx.Exec(ctx, `UPDATE migration_migrationbatch SET created_by_id = NULL WHERE created_by_id = ANY($1)`, users); err != nil {
		return fmt.Errorf("unlink batches from deleted users: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE migration_dataqualityissue SET resolved_by_id = NULL WHERE resolved_by_id = ANY($1)`, users); err != nil {
		return fmt.Errorf("unlink issues from deleted users: %w", err)
	}
	return nil
}

// handOverIssues moves the issues a rolled-back batch raised first, and a
// later completed batch raised again (migration_issuebatch), to the latest
// such batch and record, so they stay with a batch that still counts.
func handOverIssues(ctx context.Context, tx pgx.Tx, batchID int64) error {
	_, err := tx.Exec(ctx, `WITH latest AS (
			SELECT DISTINCT ON (ib.issue_id) ib.issue_id, ib.batch_id, ib.record_id
			FROM migration_issuebatch ib
			JOIN migration_dataqualityissue i ON i.id = ib.issue_id AND i.batch_id = $1
			JOIN migration_migrationbatch b ON b.id = ib.batch_id AND b.status = 'completed' AND b.id <> $1
			ORDER BY ib.issue_id, ib.batch_id DESC, ib.record_id DESC),
		moved AS (
			UPDATE migration_dataqualityissue i SET batch_id = l.batch_id, record_id = l.record_id
			FROM latest l WHERE i.id = l.issue_id RETURNING i.id, i.batch_id, i.record_id)
		DELETE FROM migration_issuebatch ib USING moved m
		WHERE ib.issue_id = m.id AND ib.batch_id = m.batch_id AND ib.record_id = m.record_id`, batchID)
	if err != nil {
		return fmt.Errorf("hand over issues: %w", err)
	}
	return nil
}

// closeIssues resolves the open issues left with a rolled-back batch: they
// describe rows no longer in the destination, and Pet-Friendly's staff,
// who filter issues by resolved alone, must not see them as open. The
// resolution names the batch ("rolled_back:<id>"), the operator is who
// rolled it back.
func closeIssues(ctx context.Context, tx pgx.Tx, batchID int64, now time.Time, operator string) error {
	_, err := tx.Exec(ctx, `UPDATE migration_dataqualityissue
		SET resolved = true, resolution = 'rolled_back:' || $1::text, resolved_at = $2, resolved_by_name = $3,
			resolved_by_id = (SELECT u.id FROM accounts_user u WHERE u.is_active AND lower(u.email) = lower($3) ORDER BY u.id LIMIT 1)
		WHERE batch_id = $1 AND NOT resolved`, batchID, now, operator)
	if err != nil {
		return fmt.Errorf("close the batch's open issues: %w", err)
	}
	return nil
}

// removePlaceholders deletes placeholder owners (and their users) nothing
// references any more.
func removePlaceholders(ctx context.Context, tx pgx.Tx, fks []fk) (int, error) {
	var conds []string
	for _, f := range fks {
		if f.parent == "vet_clinic_ownerprofile" {
			conds = append(conds, fmt.Sprintf("NOT EXISTS (SELECT 1 FROM %s c WHERE c.%s = p.id)", f.child, pgx.Identifier{f.column}.Sanitize()))
		}
	}
	where := "p.is_placeholder"
	if len(conds) > 0 {
		where += " AND " + strings.Join(conds, " AND ")
	}
	rows, err := tx.Query(ctx, "DELETE FROM vet_clinic_ownerprofile p WHERE "+where+" RETURNING user_id")
	if err != nil {
		return 0, fmt.Errorf("remove placeholder owner: %w", err)
	}
	users, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(users) == 0 {
		if err != nil {
			return 0, fmt.Errorf("remove placeholder owner: %w", err)
		}
		return 0, nil
	}
	if err := forgetUsers(ctx, tx, users); err != nil {
		return 0, fmt.Errorf("remove placeholder owner: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM accounts_user WHERE id = ANY($1)`, users); err != nil {
		return 0, fmt.Errorf("remove placeholder owner's user: %w", err)
	}
	return len(users), nil
}

// countRows counts every destination table.
func countRows(ctx context.Context, tx pgx.Tx) (map[string]int, error) {
	tables := destinationTables()
	var parts []string
	for _, t := range tables {
		parts = append(parts, fmt.Sprintf("(SELECT count(*) FROM %s)", t))
	}
	vals := make([]int, len(tables))
	dst := make([]any, len(tables))
	for i := range vals {
		dst[i] = &vals[i]
	}
	if err := tx.QueryRow(ctx, "SELECT "+strings.Join(parts, ", ")).Scan(dst...); err != nil {
		return nil, fmt.Errorf("count destination rows: %w", err)
	}
	out := map[string]int{}
	for i, t := range tables {
		out[t] = vals[i]
	}
	return out, nil
}

// checkCounts guards against a delete reaching rows no rolled-back batch
// created (an ON DELETE CASCADE an application might add): every table must
// have lost exactly the rows counted.
func checkCounts(ctx context.Context, tx pgx.Tx, before, expected map[string]int) error {
	after, err := countRows(ctx, tx)
	if err != nil {
		return err
	}
	for _, t := range destinationTables() {
		if lost := before[t] - after[t]; lost != expected[t] {
			return fmt.Errorf("%s would lose %d rows but the batches created %d (a foreign key cascades into other data); nothing was changed",
				t, lost, expected[t])
		}
	}
	return nil
}

// unreferenced keeps the media files no remaining document points at.
func unreferenced(ctx context.Context, tx pgx.Tx, media []mediaRef) ([]mediaRef, error) {
	if len(media) == 0 {
		return nil, nil
	}
	var shas []string
	for _, m := range media {
		shas = append(shas, m.sha)
	}
	rows, err := tx.Query(ctx, `SELECT DISTINCT sha256 FROM documents_document WHERE sha256 = ANY($1)`, shas)
	if err != nil {
		return nil, fmt.Errorf("check media references: %w", err)
	}
	used, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("check media references: %w", err)
	}
	inUse := map[string]bool{}
	for _, s := range used {
		inUse[s] = true
	}
	var out []mediaRef
	done := map[string]bool{}
	for _, m := range media {
		if inUse[m.sha] || done[m.file] || m.file == "" {
			continue
		}
		done[m.file] = true
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].file < out[j].file })
	return out, nil
}

// removeMedia deletes files after the commit; a failure is only a warning,
// since the database is already consistent and a stray file harms nothing.
func removeMedia(dir string, media []mediaRef) (removed, warnings []string) {
	for _, m := range media {
		if dir == "" {
			warnings = append(warnings, fmt.Sprintf("%s: no media folder given; not removed", m.file))
			continue
		}
		if !filepath.IsLocal(filepath.FromSlash(m.file)) {
			warnings = append(warnings, fmt.Sprintf("%s: not a path inside the media folder; not removed", m.file))
			continue
		}
		err := os.Remove(filepath.Join(dir, filepath.FromSlash(m.file)))
		switch {
		case err == nil:
			removed = append(removed, m.file)
		case errors.Is(err, os.ErrNotExist):
		default:
			warnings = append(warnings, fmt.Sprintf("%s: %v", m.file, err))
		}
	}
	return removed, warnings
}
