// Package importer loads normalised OkVet records into the Pet-Friendly
// tables. Every source row gets exactly one migration record with its
// outcome, every problem a data-quality issue, and each file is one batch
// whose destination writes commit all or nothing.
package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
)

// Orphan modes: what happens to a row whose parent is not in the destination.
const (
	OrphansFlag        = "flag"        // not imported; a warning names the missing parent
	OrphansPlaceholder = "placeholder" // attached to one placeholder owner so no history is lost
)

// DefaultJobs files load at once in ImportDir; MaxJobs is the most allowed
// (each is a connection and a reader).
const (
	DefaultJobs = 2
	MaxJobs     = 16
)

// Progress receives row counts while a file is imported.
type Progress interface {
	Add(rows int)
	Finish()
}

// Options configure an Importer; New checks them.
type Options struct {
	DryRun    bool
	BatchSize int    // rows per COPY chunk (default 5000)
	Orphans   string // OrphansFlag (default) or OrphansPlaceholder
	Profile   string // force a source profile
	Mapping   *source.Mapping
	Operator  string
	// Lang is the operator's language: issue descriptions, record error
	// messages and the summary's problems are stored and shown in it.
	Lang      i18n.Lang
	RejectDir string // where <batch>-<type>.csv reject files go; empty: none written
	MediaDir  string // content-addressed attachment store
	Now       func() time.Time
	// NewProgress, if set, is called once per file.
	NewProgress func(typ, file string) Progress
	// Wait blocks until another import or rollback ends instead of failing
	// with a *BusyError.
	Wait bool
	// MaxXLSXMB caps what an xlsx workbook may unpack to (MiB); 0 is
	// source.DefaultMaxXLSXMB.
	MaxXLSXMB int
	// Limits bound a CSV file's columns, cells and lines (zero: the
	// source package's defaults).
	Limits source.Limits
	// Jobs is how many files of unrelated types ImportDir loads at once
	// (1: one after the other; 0: DefaultJobs). A dry run loads one at a time.
	Jobs int
	// OnInterrupted, if set, hears of batches a dead process had left
	// running, which taking the lock marked failed.
	OnInterrupted func(batchIDs []int64)
}

// Importer imports export files into one database.
type Importer struct {
	pool *dbPool
	opts Options
	// virtual holds what earlier files of a dry run would have imported, so
	// later files of the same run see those parents (a dry run imports its
	// files one at a time; a real import's batches keep their own).
	virtual *virtualState
}

// withDefaults fills the options left zero and checks them.
func (opts Options) withDefaults() (Options, error) {
	if opts.BatchSize == 0 {
		opts.BatchSize = 5000
	}
	if opts.BatchSize < 1 || opts.BatchSize > 1_000_000 {
		return opts, fmt.Errorf("importer: batch size %d out of range 1..1000000", opts.BatchSize)
	}
	switch opts.Orphans {
	case "":
		opts.Orphans = OrphansFlag
	case OrphansFlag, OrphansPlaceholder:
	default:
		return opts, fmt.Errorf("importer: orphan mode %q: use flag or placeholder", opts.Orphans)
	}
	if opts.Jobs == 0 {
		opts.Jobs = DefaultJobs
	}
	if opts.Jobs < 1 || opts.Jobs > MaxJobs {
		return opts, fmt.Errorf("importer: jobs %d out of range 1..%d", opts.Jobs, MaxJobs)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MediaDir == "" {
		return opts, errors.New("importer: no media folder for attachments")
	}
	return opts, nil
}

// Summary is the outcome of one file (one batch).
type Summary struct {
	BatchID   int64  `json:"batch_id"`
	Type      string `json:"type"`
	File      string `json:"file"`
	DryRun    bool   `json:"dry_run"`
	Status    string `json:"status"` // completed or failed
	Read      int    `json:"read"`
	Imported  int    `json:"imported"`  // new destination rows
	Updated   int    `json:"updated"`   // already imported, changed since: updated in place
	Unchanged int    `json:"unchanged"` // already imported, identical
	Merged    int    `json:"merged_duplicates"`
	Rejected  int    `json:"rejected"`
	Orphaned  int    `json:"orphaned"`
	Skipped   int    `json:"skipped"`
	Issues    int    `json:"issues"`
	// MediaRemoved: files a failed documents batch had written to the
	// media store, removed since nothing references them.
	MediaRemoved []string `json:"media_removed,omitempty"`
	// MergedLines: physical lines a quoting error swallowed into the row
	// before them (each such row rejected with quote_merged_lines).
	MergedLines int     `json:"merged_lines,omitempty"`
	Seconds     float64 `json:"seconds"`
	RejectFile  string  `json:"reject_file,omitempty"`
	Error       string  `json:"error,omitempty"`
	// Problems are the first rejected or orphaned rows, positioned
	// ("clientes.csv:12:5: ..."), so the operator sees why without opening
	// the reject file.
	Problems []string `json:"problems,omitempty"`
	// Columns says where each column of the file went; NotMigrated lists
	// those whose values reach no field and that the mapping file does not
	// declare (each raised once as a column_not_migrated warning).
	Columns     []source.Column `json:"columns,omitempty"`
	NotMigrated []source.Column `json:"not_migrated_columns,omitempty"`
	// Sheets are a workbook's sheets and what became of each.
	Sheets []source.Sheet `json:"sheets,omitempty"`
}

// ErrBatchFailed marks an import whose batch was rolled back and marked failed.
var ErrBatchFailed = errors.New("batch failed")

// ImportFile imports one file as one batch of type typ (a source.Type name).
// Rejected rows do not fail the batch; a database or read failure does: then
// nothing of the batch stays in the destination tables and the batch is
// marked failed with the reason.
func (im *Importer) ImportFile(ctx context.Context, typ, path string) (Summary, error) {
	t, ok := source.TypeByName(typ)
	if !ok {
		return Summary{}, fmt.Errorf("unknown type %q", typ)
	}
	lock, err := im.lock(ctx)
	if err != nil {
		return Summary{Type: t.Name, File: path, DryRun: im.opts.DryRun}, err
	}
	defer lock.Release(ctx)
	sum, err := im.importType(ctx, lock, t, path)
	if err == nil {
		im.analyze(ctx, []source.Type{t})
	}
	return sum, err
}

// lock takes the database's import/rollback lock for one command.
func (im *Importer) lock(ctx context.Context) (*Lock, error) {
	l, err := AcquireLock(ctx, im.pool, LockOptions{Command: "import", Operator: im.opts.Operator, Wait: im.opts.Wait})
	if err != nil {
		return nil, err
	}
	if len(l.Interrupted) > 0 && im.opts.OnInterrupted != nil {
		im.opts.OnInterrupted(l.Interrupted)
	}
	return l, nil
}

func (im *Importer) importType(ctx context.Context, lock *Lock, t source.Type, path string) (Summary, error) {
	b, sum, err := im.startBatch(ctx, lock, t, path)
	if err != nil {
		return sum, err
	}
	return im.runStarted(ctx, b, sum)
}

// startedBatch is a file whose batch row exists (status running) and whose
// reader is open, waiting for runStarted.
type startedBatch struct {
	t     source.Type
	path  string
	r     *source.Reader
	start time.Time
}

// startBatch checks and hashes the file, opens it and creates its batch.
// Batches are created one at a time, in the order files start, so their
// numbers do not depend on which of several loading files is faster.
func (im *Importer) startBatch(ctx context.Context, lock *Lock, t source.Type, path string) (*startedBatch, Summary, error) {
	start := im.opts.Now()
	sum := Summary{Type: t.Name, File: path, DryRun: im.opts.DryRun}
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		// Opening a FIFO would block, a device act.
		return nil, sum, fmt.Errorf("read %s: not a regular file (%s)", path, fileKind(st.Mode()))
	}
	hash, err := fileSHA256(path)
	if err != nil {
		return nil, sum, fmt.Errorf("read %s: %w", path, err)
	}
	r, err := source.Open(path, source.Options{Profile: im.opts.Profile, Mapping: im.opts.Mapping, Type: t.Name, Now: im.opts.Now,
		MaxXLSXMB: im.opts.MaxXLSXMB, Limits: im.opts.Limits})
	if err != nil {
		return nil, sum, err
	}
	info := r.Info()

	batchID, err := im.createBatch(ctx, t, path, hash, info.Profile)
	if err != nil {
		r.Close()
		return nil, sum, err
	}
	sum.BatchID = batchID
	if err := lock.SetBatch(ctx, batchID); err != nil {
		r.Close()
		// The batch row is committed as running: mark it failed now, or
		// the next command would take it for one a dead process left.
		sum.Status, sum.Error = "failed", err.Error()
		if ferr := im.failBatch(context.WithoutCancel(ctx), batchID, err); ferr != nil {
			return nil, sum, fmt.Errorf("%w: %w (and marking the batch failed: %v)", ErrBatchFailed, err, ferr)
		}
		return nil, sum, fmt.Errorf("%w: batch %d (%s): %w", ErrBatchFailed, batchID, filepath.Base(path), err)
	}
	return &startedBatch{t: t, path: path, r: r, start: start}, sum, nil
}

// runStarted reads and writes a started batch, and closes its reader.
func (im *Importer) runStarted(ctx context.Context, b *startedBatch, sum Summary) (Summary, error) {
	defer b.r.Close()
	t, path, r, batchID := b.t, b.path, b.r, sum.BatchID
	var prog Progress
	if im.opts.NewProgress != nil {
		prog = im.opts.NewProgress(t.Name, filepath.Base(path))
	}
	_, attached := pathField(t)
	media := attached && !im.opts.DryRun && im.opts.MediaDir != ""
	var counts batchCounts
	var runErr error
	if media {
		// Shared: other databases' rollbacks wait to remove files until
		// this batch's references are listed.
		unlock, err := lockMedia(im.opts.MediaDir, false)
		if err != nil {
			runErr = err
		} else {
			counts, runErr = im.runBatch(ctx, t, r, batchID, path, prog, &sum)
			runErr = im.afterMediaBatch(context.WithoutCancel(ctx), counts.mediaWritten, runErr, &sum)
			unlock()
		}
	} else {
		counts, runErr = im.runBatch(ctx, t, r, batchID, path, prog, &sum)
	}
	if prog != nil {
		prog.Finish()
	}
	sum.Seconds = im.opts.Now().Sub(b.start).Seconds()
	if runErr != nil {
		sum.Status = "failed"
		sum.Error = runErr.Error()
		if err := im.failBatch(context.WithoutCancel(ctx), batchID, runErr); err != nil {
			return sum, fmt.Errorf("%w: %w (and marking the batch failed: %v)", ErrBatchFailed, runErr, err)
		}
		return sum, fmt.Errorf("%w: batch %d (%s): %w", ErrBatchFailed, batchID, filepath.Base(path), runErr)
	}
	sum.Status = "completed"
	sum.Read, sum.Imported, sum.Merged = counts.read, counts.imported, counts.merged
	sum.Updated, sum.Unchanged = counts.updated, counts.unchanged
	sum.Rejected, sum.Orphaned, sum.Skipped, sum.Issues = counts.rejected, counts.orphaned, counts.skipped, counts.issues
	return sum, nil
}

// afterMediaBatch lists the database's media references as they are now
// and, when the batch failed, removes the files it wrote that no database
// references (its documents were never committed).
func (im *Importer) afterMediaBatch(ctx context.Context, written []string, runErr error, sum *Summary) error {
	key := DatabaseKey(im.pool)
	err := WriteMediaRefs(ctx, im.pool, im.opts.MediaDir, key)
	if err != nil && runErr == nil {
		// The batch is committed: its documents stand whatever happens to
		// the list, so try once more before leaving the list behind.
		err = WriteMediaRefs(ctx, im.pool, im.opts.MediaDir, key)
	}
	if err != nil {
		if runErr != nil {
			return fmt.Errorf("%w (and %v)", runErr, err)
		}
		// Not a failed batch: only the list lags, and verify rewrites it.
		sum.Problems = append(sum.Problems, im.opts.Lang.F(
			"la lista de adjuntos de esta base de datos no se actualizó (%v): ejecute `recon verify`, que la reescribe",
			"this database's list of attachments was not updated (%v): run `recon verify`, which rewrites it", err))
		return nil
	}
	if runErr == nil || len(written) == 0 {
		return runErr
	}
	refs, err := mediaReferenced(im.opts.MediaDir, "")
	if err != nil {
		return fmt.Errorf("%w (and %v)", runErr, err)
	}
	for _, f := range written {
		if refs[f] {
			continue
		}
		if err := os.Remove(filepath.Join(im.opts.MediaDir, filepath.FromSlash(f))); err == nil {
			sum.MediaRemoved = append(sum.MediaRemoved, f)
		}
	}
	return runErr
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

type batchCounts struct {
	read, imported, updated, unchanged, merged, rejected, orphaned, skipped, issues int
	// mediaWritten: media files the batch wrote, set even when it failed.
	mediaWritten []string
}

// runBatch reads every record and writes the batch inside one transaction.
func (im *Importer) runBatch(ctx context.Context, t source.Type, r *source.Reader, batchID int64, path string, prog Progress, sum *Summary) (batchCounts, error) {
	var counts batchCounts
	var written []string
	virtual := im.virtual
	if !im.opts.DryRun {
		virtual = newVirtualState(false)
	}
	err := im.inTx(ctx, func(tx dbTx) error {
		b, err := im.newBatchWriter(ctx, tx, virtual, t, batchID, path)
		if err != nil {
			return err
		}
		b.mediaWritten = &written
		defer b.closeRejects()
		tables := make([]string, len(b.tables.layout.order))
		for i, t := range b.tables.layout.order {
			tables[i] = t.table
		}
		bulk, err := bulkReferences(ctx, tx, tables)
		if err != nil {
			return err
		}
		// Reading and normalising the next rows overlaps with this batch's
		// COPY round trips.
		recs := source.Prefetch(r, im.opts.BatchSize)
		defer recs.Close()
		for {
			rec, err := recs.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			var rowErr *source.RowError
			if err != nil && !errors.As(err, &rowErr) {
				return err
			}
			if err := b.handle(ctx, rec, rowErr); err != nil {
				return err
			}
			if prog != nil {
				prog.Add(1)
			}
		}
		if err := b.columnIssues(ctx, r.Info().Unaccounted()); err != nil {
			return err
		}
		if err := b.flush(ctx); err != nil {
			return err
		}
		counts = b.counts
		sum.RejectFile = b.rejectPath
		sum.Problems = b.problems
		// The Reader's line counts are final: Next has returned io.EOF.
		info := r.Info()
		sum.MergedLines = info.MergedLines
		sum.Columns, sum.Sheets, sum.NotMigrated = info.Columns, info.Sheets, info.Unaccounted()
		// Foreign keys are checked at commit (deferred); checking them
		// here names the step that broke them.
		if err := checkReferences(ctx, tx, bulk); err != nil {
			return err
		}
		return completeBatch(ctx, tx, batchID, im.opts.Now(), counts, info)
	})
	if err == nil && im.opts.DryRun {
		virtual.commit()
	} else {
		virtual.discard()
	}
	counts.mediaWritten = written
	return counts, err
}
