// Package approval holds what an approval names, shared by the reports
// that write the approval PDF and by signoff that signs and records it:
// the run's identity kept in the PDF's Keywords, the signature field's
// name, the verdict codes a sign-off depends on and the status of the
// latest recorded sign-off. It imports nothing of recon.
package approval

import (
	"strconv"
	"strings"
	"time"
)

// SignatureFieldName is the AcroForm signature field of the approval PDF:
// the one Dr. Pablo signs with his certificate.
const SignatureFieldName = "Firma de aprobación"

// Identity is what an approval PDF says it approves: the verification run
// and its fingerprints, kept in the PDF's Keywords.
type Identity struct {
	RunID              int64  `json:"run_id"`
	Fingerprint        string `json:"fingerprint"`
	ContentFingerprint string `json:"content_fingerprint"`
}

const (
	kwRun     = "recon-run:"
	kwFinding = "recon-fingerprint:"
	kwContent = "recon-content-fingerprint:"
)

// Keywords is the Keywords entry of the approval PDF.
func (id Identity) Keywords() string {
	return kwRun + strconv.FormatInt(id.RunID, 10) + " " + kwFinding + id.Fingerprint + " " + kwContent + id.ContentFingerprint
}

// ParseKeywords reads Keywords back; ok is false when the keywords do not
// name a run and a content fingerprint.
func ParseKeywords(s string) (id Identity, ok bool) {
	var run, content bool
	for _, f := range strings.Fields(s) {
		switch {
		case strings.HasPrefix(f, kwRun):
			n, err := strconv.ParseInt(strings.TrimPrefix(f, kwRun), 10, 64)
			if err != nil {
				return id, false
			}
			id.RunID, run = n, true
		case strings.HasPrefix(f, kwFinding):
			id.Fingerprint = strings.TrimPrefix(f, kwFinding)
		case strings.HasPrefix(f, kwContent):
			id.ContentFingerprint = strings.TrimPrefix(f, kwContent)
			content = id.ContentFingerprint != ""
		}
	}
	return id, run && content
}

// VerdictReady, VerdictCriticalOpen and VerdictProblems are a run's
// verdicts; only a ready run can be approved.
const (
	VerdictReady        = "ready"                  // verified, no open critical issue
	VerdictCriticalOpen = "verified_critical_open" // verified, critical issues still open
	VerdictProblems     = "problems"               // verification found problems
)

// Verdict is the code of a run that verified (ok) and is ready for
// sign-off (ready).
func Verdict(ok, ready bool) string {
	switch {
	case ok && ready:
		return VerdictReady
	case ok:
		return VerdictCriticalOpen
	}
	return VerdictProblems
}

// Status is the latest recorded digital sign-off and whether the data
// changed since; the reports show it in one line.
type Status struct {
	Signer    string
	SignedAt  time.Time
	RunID     int64
	Unchanged bool
	Changed   []string // tables whose content changed, when they can be named
}
