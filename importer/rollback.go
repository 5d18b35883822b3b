package importer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

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

// fk is one single-column foreign key into a destination table.
type fk struct {
	child, column, parent string
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

func depBatches(deps []Dependent) []int64 {
	var out []int64
	for _, d := range deps {
		out = append(out, d.BatchID)
	}
	return out
}

// mediaRef is an attachment a rollback removed or replaced.
type mediaRef struct {
	file, sha string
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
