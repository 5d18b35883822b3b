package importer

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

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
