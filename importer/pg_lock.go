package importer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Lock is recon's import/rollback lock, held on a dedicated connection for
// the whole command: PostgreSQL releases it when that session ends, so a
// killed process never leaves it behind.
type Lock struct {
	conn *pgxpool.Conn
	// Interrupted lists the batches a dead process had left running, marked
	// failed when the lock was taken.
	Interrupted []int64
}

// AcquireLock takes the import/rollback lock of the database behind pool.
// It fails fast with a *BusyError when another process holds it, unless
// opts.Wait. Once held, batches left running by dead processes are marked
// failed (see Lock.Interrupted).
func AcquireLock(ctx context.Context, pool *pgxpool.Pool, opts LockOptions) (*Lock, error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	l := &Lock{conn: conn}
	if err := l.acquire(ctx, opts); err != nil {
		l.discard()
		return nil, err
	}
	host, _ := os.Hostname()
	_, err = conn.Exec(ctx, `INSERT INTO migration_lockholder (id, backend_pid, client_pid, host, pid_ns, command, operator, batch_id,
			acquired_at, updated_at)
		VALUES (1, pg_backend_pid(), $1, $2, $3, $4, $5, NULL, now(), now())
		ON CONFLICT (id) DO UPDATE SET backend_pid = EXCLUDED.backend_pid, client_pid = EXCLUDED.client_pid,
			host = EXCLUDED.host, pid_ns = EXCLUDED.pid_ns, command = EXCLUDED.command, operator = EXCLUDED.operator,
			batch_id = NULL, acquired_at = now(), updated_at = now()`, os.Getpid(), host, pidNamespace(), opts.Command, opts.Operator)
	if err == nil {
		// application_name makes the holder visible in pg_stat_activity too.
		_, err = conn.Exec(ctx, "SELECT set_config('application_name', $1, false)",
			fmt.Sprintf("recon %s pid=%d", opts.Command, os.Getpid()))
	}
	if err == nil {
		l.Interrupted, err = recoverInterrupted(ctx, conn)
	}
	if err != nil {
		l.Release(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("lock: %w", err)
	}
	return l, nil
}

func (l *Lock) acquire(ctx context.Context, opts LockOptions) error {
	if opts.Wait {
		if _, err := l.conn.Exec(ctx, "SELECT pg_advisory_lock($1)", LockKey); err != nil {
			return fmt.Errorf("lock: wait: %w", err)
		}
		return nil
	}
	var since time.Time
	terminated := false
	for {
		var ok bool
		if err := l.conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", LockKey).Scan(&ok); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		if ok {
			return nil
		}
		h, err := readHolder(ctx, l.conn)
		if err != nil {
			return err
		}
		// A holder that is a dead process on this machine is a session the
		// server has not cleaned up yet: give it a moment instead of failing.
		// No holder at all means it let go between the two queries: retry.
		if h.BackendPID != 0 && !h.deadHere() {
			return &BusyError{Holder: h}
		}
		if since.IsZero() {
			since = time.Now()
		}
		waited := time.Since(since)
		if waited > deadHolderLimit {
			return &BusyError{Holder: h}
		}
		if waited > deadHolderGrace && h.BackendPID != 0 && !terminated {
			// Permission may be missing (another role); then keep waiting.
			terminated = true
			l.conn.Exec(ctx, "SELECT pg_terminate_backend($1)", h.BackendPID)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// readHolder finds the backend holding the lock and what it recorded.
func readHolder(ctx context.Context, conn *pgxpool.Conn) (LockHolder, error) {
	var h LockHolder
	var client, batch *int64
	var host, pidNS, command, operator *string
	var since *time.Time
	err := conn.QueryRow(ctx, `SELECT l.pid, h.client_pid, h.host, h.pid_ns, h.command, h.operator, h.batch_id,
			COALESCE(h.acquired_at, a.backend_start)
		FROM pg_locks l
		LEFT JOIN migration_lockholder h ON h.backend_pid = l.pid
		LEFT JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
		  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
		  AND l.classid::bigint = $1 AND l.objid::bigint = $2`, LockKey>>32, LockKey&0xffffffff).
		Scan(&h.BackendPID, &client, &host, &pidNS, &command, &operator, &batch, &since)
	if errors.Is(err, pgx.ErrNoRows) {
		return h, nil // released in the meantime; the caller retries or reports
	}
	if err != nil {
		return h, fmt.Errorf("lock: read holder: %w", err)
	}
	if client != nil {
		h.ClientPID = int(*client)
	}
	if batch != nil {
		h.BatchID = *batch
	}
	if host != nil {
		h.Host, h.pidNS, h.Command, h.Operator = *host, *pidNS, *command, *operator
	}
	if since != nil {
		h.Since = *since
	}
	return h, nil
}

// recoverInterrupted marks failed the batches a dead process left running.
// Holding the lock proves their process is gone, since every import holds
// it. Their destination rows never committed; their tracking rows are
// written in the same transaction, so none can exist, but any are removed
// anyway so the failed batch stays empty.
func recoverInterrupted(ctx context.Context, conn *pgxpool.Conn) ([]int64, error) {
	// A batch records the server's start time when it begins
	// (options.server_started_at): a server started since then shut down
	// while the batch ran.
	rows, err := conn.Query(ctx, `UPDATE migration_migrationbatch
		SET status = 'failed', completed_at = now(),
		    notes = CASE WHEN (options->>'server_started_at')::timestamptz IS DISTINCT FROM pg_postmaster_start_time()
		                  AND options ? 'server_started_at' THEN $2 ELSE $1 END
		WHERE status = 'running' RETURNING id`, InterruptedReason, InterruptedDBClosedReason)
	if err != nil {
		return nil, fmt.Errorf("recover interrupted batches: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("recover interrupted batches: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	// Nothing cascades in the database: children go first, in one
	// statement so the deferred foreign keys see a consistent end state.
	if _, err := conn.Exec(ctx, `WITH gone_issues AS (
			SELECT id FROM migration_dataqualityissue
			WHERE batch_id = ANY($1) OR record_id IN (SELECT id FROM migration_migrationrecord WHERE batch_id = ANY($1))),
		links AS (
			DELETE FROM migration_issuebatch WHERE batch_id = ANY($1) OR issue_id IN (SELECT id FROM gone_issues)
			   OR record_id IN (SELECT id FROM migration_migrationrecord WHERE batch_id = ANY($1))),
		corrections AS (
			UPDATE migration_correction SET issue_id = NULL WHERE issue_id IN (SELECT id FROM gone_issues)),
		issues AS (
			DELETE FROM migration_dataqualityissue WHERE id IN (SELECT id FROM gone_issues)),
		mappings AS (
			UPDATE migration_externalidmapping SET batch_id = NULL WHERE batch_id = ANY($1))
		DELETE FROM migration_migrationrecord WHERE batch_id = ANY($1)`, ids); err != nil {
		return ids, fmt.Errorf("clean interrupted batches: %w", err)
	}
	return ids, nil
}

// SetBatch records the batch being worked on, for whoever waits (the
// latest started, when files of unrelated types import at once; the
// scheduler starts them one at a time from its own goroutine).
func (l *Lock) SetBatch(ctx context.Context, batchID int64) error {
	_, err := l.conn.Exec(ctx, `UPDATE migration_lockholder SET batch_id = $1, updated_at = now()
		WHERE backend_pid = pg_backend_pid()`, batchID)
	if err != nil {
		return fmt.Errorf("lock: record batch %d: %w", batchID, err)
	}
	return nil
}

// Release gives the lock back. A connection whose unlock failed is closed
// rather than returned to the pool, so the lock cannot outlive the command.
func (l *Lock) Release(ctx context.Context) {
	if l == nil || l.conn == nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	_, err := l.conn.Exec(ctx, `DELETE FROM migration_lockholder WHERE backend_pid = pg_backend_pid()`)
	if err == nil {
		_, err = l.conn.Exec(ctx, "SELECT pg_advisory_unlock_all(), set_config('application_name', '', false)")
	}
	if err != nil {
		l.discard()
		return
	}
	l.conn.Release()
	l.conn = nil
}

func (l *Lock) discard() {
	if l.conn == nil {
		return
	}
	c := l.conn.Hijack()
	c.Close(context.Background())
	l.conn = nil
}

// RecoverInterrupted marks failed the batches dead processes left running,
// provided no import or rollback runs now (the lock is free; otherwise it
// does nothing). Read-only commands can call it so a dead batch is not shown
// as running until the next import.
func RecoverInterrupted(ctx context.Context, pool *pgxpool.Pool) ([]int64, error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("recover interrupted batches: %w", err)
	}
	l := &Lock{conn: conn}
	var ok bool
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", LockKey).Scan(&ok); err != nil || !ok {
		l.discard()
		if err != nil {
			return nil, fmt.Errorf("recover interrupted batches: %w", err)
		}
		return nil, nil
	}
	defer l.Release(ctx)
	return recoverInterrupted(ctx, conn)
}
