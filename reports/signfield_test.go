package reports

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/internal/pdfraw"
)

// needTool returns the path of a command-line tool; it skips without it,
// except in CI, which installs it.
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must have %s (apt-get install %s)", name, pkg)
		}
		t.Skipf("%s (apt-get install %s)", name, pkg)
	}
	return p
}

// TestSignoffKeywords: the approval's Keywords name the run and both its
// fingerprints, and read back as the same identity.
func TestSignoffKeywords(t *testing.T) {
	r := fixture(t)
	r.ContentFingerprint = "c0ffee"
	got, ok := approval.ParseKeywords(identityOf(r).Keywords())
	if !ok || got.RunID != r.RunID || got.Fingerprint != r.Fingerprint || got.ContentFingerprint != "c0ffee" {
		t.Errorf("keywords do not round-trip: %+v %v", got, ok)
	}
}

// TestPDFSignatureField checks the incremental update: every xref offset
// points at its object, poppler lists the unsigned field, and the run and
// fingerprints are in the metadata and the visible text.
func TestPDFSignatureField(t *testing.T) {
	fonts := needFonts(t)
	pdfsig := needTool(t, "pdfsig", "poppler-utils")
	pdfinfo := needTool(t, "pdfinfo", "poppler-utils")
	for _, lang := range []i18n.Lang{i18n.ES, i18n.EN} {
		t.Run(string(lang), func(t *testing.T) {
			r := fixture(t)
			r.ContentFingerprint = strings.Repeat("ab", 32)
			b := renderPDF(t, r, PDFOptions{Lang: lang, Now: fixedNow, Fonts: fonts})
			p, err := pdfraw.Parse(b)
			if err != nil {
				t.Fatal(err)
			}
			if p.Size < 5 || len(p.Offsets) != p.Size-1 {
				t.Errorf("xref knows %d objects, trailer /Size %d", len(p.Offsets), p.Size)
			}
			for n := range p.Offsets {
				if _, err := p.Object(n); err != nil {
					t.Error(err)
				}
			}
			if bytes.Count(b, []byte("%%EOF")) != 2 {
				t.Errorf("want maroto's document plus one incremental update, got %d %%%%EOF", bytes.Count(b, []byte("%%EOF")))
			}
			file := filepath.Join(t.TempDir(), "a.pdf")
			if err := os.WriteFile(file, b, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(pdfsig, file).CombinedOutput()
			if err != nil {
				t.Fatalf("pdfsig: %v\n%s", err, out)
			}
			if !strings.Contains(string(out), "Signature Field Name: "+approval.SignatureFieldName) || !strings.Contains(string(out), "not signed") {
				t.Errorf("pdfsig does not list the unsigned field:\n%s", out)
			}
			info, err := exec.Command(pdfinfo, file).CombinedOutput()
			if err != nil {
				t.Fatalf("pdfinfo: %v\n%s", err, info)
			}
			kw := ""
			for _, line := range strings.Split(string(info), "\n") {
				if v, ok := strings.CutPrefix(line, "Keywords:"); ok {
					kw = strings.TrimSpace(v)
				}
			}
			if id, ok := approval.ParseKeywords(kw); !ok || id.RunID != r.RunID || id.ContentFingerprint != r.ContentFingerprint || id.Fingerprint != r.Fingerprint {
				t.Errorf("keywords %q do not name run %d and its fingerprints", kw, r.RunID)
			}
			pages := pdfText(t, b)
			text := strings.Join(strings.Fields(strings.Join(pages, " ")), " ")
			for _, want := range []string{r.Fingerprint, r.ContentFingerprint, approval.SignatureFieldName} {
				if !strings.Contains(text, want) {
					t.Errorf("visible text lacks %q", want)
				}
			}
			if last := pages[len(pages)-1]; !strings.Contains(last, lang.S("Firma digital", "Digital signature")) {
				t.Errorf("last page lacks the digital signature box")
			}
		})
	}
}

func TestAddSignatureFieldRejects(t *testing.T) {
	cases := map[string][]byte{
		"not a pdf":    []byte("hello"),
		"xref stream":  []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\nstartxref\n9\n%%EOF\n"),
		"bad xref ptr": []byte("%PDF-1.4\nstartxref\n99999\n%%EOF\n"),
	}
	for name, in := range cases {
		if _, err := addSignatureField(in, approval.SignatureFieldName); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
