package signoff

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/reconcile"
)

// Record is one signed approval kept in migration_signoff.
type Record struct {
	ID                 int64     `json:"id"`
	RunID              int64     `json:"run_id"`
	Signer             string    `json:"signer"`
	Issuer             string    `json:"issuer"`
	SelfSigned         bool      `json:"self_signed"`
	SignedAt           time.Time `json:"signed_at,omitzero"`
	Reason             string    `json:"reason"`
	Fingerprint        string    `json:"fingerprint"`
	ContentFingerprint string    `json:"content_fingerprint"`
	FileSHA256         string    `json:"file_sha256"`
	RecordedAt         time.Time `json:"recorded_at"`
	RecordedBy         string    `json:"recorded_by"`
}

// StorePath is where the signed PDF with this hash is kept under home.
func StorePath(home, sha256 string) string {
	return filepath.Join(home, "signoffs", sha256+".pdf")
}

// Save stores the signed PDF b content-addressed under home and records the
// sign-off s describes. A file already recorded is not recorded twice:
// the existing record comes back with created false.
func Save(ctx context.Context, db reconcile.Execer, home string, b []byte, s Signature, by string, at time.Time) (rec Record, created bool, err error) {
	if !s.OK() || !s.HasIdentity {
		return rec, false, errors.New("record sign-off: only a valid recon approval can be recorded")
	}
	rec = Record{RunID: s.Identity.RunID, Signer: s.Subject, Issuer: s.Issuer, SelfSigned: s.SelfSigned, SignedAt: s.SigningTime,
		Reason: s.Reason, Fingerprint: s.Identity.Fingerprint, ContentFingerprint: s.Identity.ContentFingerprint,
		FileSHA256: s.FileSHA256, RecordedAt: at, RecordedBy: by}
	if err := storeFile(StorePath(home, s.FileSHA256), b); err != nil {
		return rec, false, err
	}
	id, inserted, err := insertRecord(ctx, db, rec)
	if err != nil {
		return rec, false, err
	}
	if !inserted {
		old, err := recordOfFile(ctx, db, s.FileSHA256)
		if err != nil {
			return rec, false, err
		}
		if old == nil {
			// Recorded when inserted, deleted before it could be read.
			return rec, false, errors.New("record sign-off: the existing record of this file vanished while recording; try again")
		}
		return *old, false, nil
	}
	rec.ID = id
	return rec, true, nil
}

// storeFile writes b to path unless a file is already there (the name is
// its hash, so the content is the same).
func storeFile(path string, b []byte) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("store signed pdf: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".signoff-*.pdf")
	if err != nil {
		return fmt.Errorf("store signed pdf: %w", err)
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("store signed pdf: %w", errors.Join(werr, cerr))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("store signed pdf: %w", err)
	}
	return nil
}

// Latest returns the most recently recorded sign-off, or nil.
func Latest(ctx context.Context, db reconcile.Querier) (*Record, error) {
	return latestRecord(ctx, db)
}

// StatusOf tells whether the data verified in now is what the latest
// recorded sign-off approved; nil when nothing was ever signed off.
func StatusOf(ctx context.Context, db reconcile.Querier, now reconcile.Result) (*approval.Status, error) {
	rec, err := Latest(ctx, db)
	if err != nil || rec == nil {
		return nil, err
	}
	dc, err := CompareData(ctx, db, approval.Identity{RunID: rec.RunID, Fingerprint: rec.Fingerprint, ContentFingerprint: rec.ContentFingerprint}, now)
	if err != nil {
		return nil, err
	}
	return &approval.Status{Signer: rec.Signer, SignedAt: rec.SignedAt, RunID: rec.RunID, Unchanged: dc.Unchanged, Changed: dc.Changed}, nil
}

// Why an approval cannot be recorded (CheckApprovable).
var (
	ErrRunUnknown      = errors.New("the approved verification run is not in this database")
	ErrRunNotReady     = errors.New("the approved verification run was not ready for sign-off")
	ErrSignedBeforeRun = errors.New("the approval was signed before the verification run it approves")
)

// CheckApprovable tells whether s approves a run that can be approved: a
// run stored in db that was ready for sign-off, signed no earlier than the
// run was made. The run and its time come back for the message.
func CheckApprovable(ctx context.Context, db reconcile.Querier, s Signature) (reconcile.Result, error) {
	rs := runsOf(db)
	ids, err := rs.RunIDs(ctx)
	if err != nil {
		return reconcile.Result{}, err
	}
	found := false
	for _, id := range ids {
		found = found || id == s.Identity.RunID
	}
	if !found {
		return reconcile.Result{}, ErrRunUnknown
	}
	run, err := rs.LoadRun(ctx, s.Identity.RunID)
	if err != nil {
		return run, err
	}
	if !run.SignoffReady {
		return run, ErrRunNotReady
	}
	if !s.SigningTime.IsZero() && s.SigningTime.Before(run.GeneratedAt) {
		return run, ErrSignedBeforeRun
	}
	return run, nil
}
