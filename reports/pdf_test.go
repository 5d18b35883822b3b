package reports

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/johnfercher/go-tree/node"
	"github.com/johnfercher/maroto/v2/pkg/core"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/reconcile"
)

// needFonts returns DejaVu Sans from the usual places; it skips without
// it, except in CI which installs it (fonts-dejavu-core).
func needFonts(t *testing.T) PDFFonts {
	t.Helper()
	f := FindPDFFonts(FontDirs(""))
	if f.Family != "DejaVu Sans" {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must have DejaVu Sans (apt-get install fonts-dejavu-core); found %q", f.Family)
		}
		t.Skip("DejaVu Sans (apt-get install fonts-dejavu-core)")
	}
	return f
}

func pdfOptions(o HTMLOptions, fonts PDFFonts) PDFOptions {
	return PDFOptions{Lang: o.Lang, Clinic: o.Clinic, Now: o.Now, Fonts: fonts}
}

func renderPDF(t *testing.T, r reconcile.Result, o PDFOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := PDF(&buf, r, o); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pdfText extracts the text of each page with pdftotext.
func pdfText(t *testing.T, pdf []byte) []string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must have pdftotext (apt-get install poppler-utils)")
		}
		t.Skip("pdftotext (apt-get install poppler-utils)")
	}
	p := filepath.Join(t.TempDir(), "approval.pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
	return pages
}

func TestPDFText(t *testing.T) {
	fonts := needFonts(t)
	r := fixture(t)
	pages := pdfText(t, renderPDF(t, r, PDFOptions{Now: fixedNow, Signer: "Dr. Pablo Ramírez", Fonts: fonts}))
	all := strings.Join(pages, "\n")
	for _, want := range []string{
		"Aprobación de migración de datos", "Clínica Veterinaria Dr. Pablo", "OkVet.co → Pet-Friendly",
		"14 de noviembre de 2026, 15:30", "Documento generado", "María Fernández",
		"Resultado: La verificación encontró problemas",
		// counts with Spanish separators and accented labels
		"historias clínicas", "ítems de factura", "mascotas", "1.234", "15.432", "67.662", "1.185 *",
		"* clientes: 1.234 en origen, 1.185 en destino — 37 duplicados fusionados (duplicate_merged), 12 rechazados",
		"Abiertos: 46 críticos, 1.289 advertencias, 310 informativos.", "invalid_phone",
		"Lista de verificación", "✘ no", "Sin problemas críticos abiertos",
		"Diferencias por resolver", "HC-88120", "Muestra aleatoria", "semilla 20261114", "✔ sí",
		"Aprobación", "Datos verificados por:", "Cargo:", "Fecha:", "Firma:", "Dr. Pablo Ramírez",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	// The run's identity is on every page, and so is its number.
	for i, p := range pages {
		for _, want := range []string{r.Fingerprint, "Ejecución #7", "Clínica Veterinaria Dr. Pablo",
			"Página " + itoa(i+1) + " de " + itoa(len(pages))} {
			if !strings.Contains(p, want) {
				t.Errorf("page %d lacks %q", i+1, want)
			}
		}
	}
}

func TestPDFEnglishAndClean(t *testing.T) {
	fonts := needFonts(t)
	r, o := loadCase(t, filepath.Join(goldenDir, "clean_en"))
	all := strings.Join(pdfText(t, renderPDF(t, r, pdfOptions(o, fonts))), "\n")
	for _, want := range []string{"Data migration approval", "Dr. Pablo's Veterinary Clinic", "Result: Verified: ready for sign-off",
		"1,234", "✔ yes", "Data verified by:", "Signature:", "Page 1 of", "1 field compared, matches"} {
		if !strings.Contains(all, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	if strings.Contains(all, "Differences to resolve") {
		t.Error("a clean run lists differences")
	}
}

// TestPDFClock checks that the document's dates come from the injected
// clock, not the wall clock. Byte-identical output is not possible through
// maroto: gofpdf writes its fonts in map order unless its process-wide
// catalog sort is switched on, which maroto does not expose; the layout is
// pinned by TestPDFStructureGolden instead.
func TestPDFClock(t *testing.T) {
	fonts := needFonts(t)
	r := fixture(t)
	a := renderPDF(t, r, PDFOptions{Now: fixedNow, Fonts: fonts})
	if !bytes.HasPrefix(a, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	if !bytes.Contains(a, []byte("/CreationDate (D:20261114160000)")) || !bytes.Contains(a, []byte("/ModDate (D:20261114160000)")) {
		t.Error("PDF dates do not come from the injected clock")
	}
	// Without a clock the run's own date is used.
	c := renderPDF(t, r, PDFOptions{Fonts: fonts})
	if !bytes.Contains(c, []byte("/ModDate (D:20261114153000)")) {
		t.Error("PDF without a clock does not use the run's date")
	}
	b := renderPDF(t, r, PDFOptions{Now: fixedNow, Fonts: fonts})
	if x, y := strings.Join(pdfText(t, a), "\f"), strings.Join(pdfText(t, b), "\f"); x != y {
		t.Error("two PDFs of the same run read differently")
	}
}

func TestFixModDate(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	in := []byte("x /ModDate (D:20991231235959) y")
	if got := string(fixModDate(in, at)); got != "x /ModDate (D:20260102030405) y" {
		t.Errorf("got %q", got)
	}
	if string(in) != "x /ModDate (D:20991231235959) y" {
		t.Error("fixModDate changed its input")
	}
	for _, keep := range []string{"no date here", "/ModDate (D:2099)", "/ModDate (D:"} {
		if got := string(fixModDate([]byte(keep), at)); got != keep {
			t.Errorf("fixModDate(%q) = %q", keep, got)
		}
	}
	if got := string(fixModDate(in, time.Time{})); got != string(in) {
		t.Errorf("zero time changed the PDF: %q", got)
	}
}

func TestPDFWriteError(t *testing.T) {
	err := PDF(failWriter{}, fixture(t), PDFOptions{Now: fixedNow})
	if err == nil || !strings.Contains(err.Error(), "write pdf: disk full") {
		t.Fatalf("got %v", err)
	}
}

// structNode is maroto's component tree in a stable JSON form.
type structNode struct {
	Type    string         `json:"type"`
	Value   any            `json:"value,omitempty"`
	Details map[string]any `json:"details,omitempty"`
	Nodes   []*structNode  `json:"nodes,omitempty"`
}

// round keeps the golden independent of the last bits of float maths.
func round(v any) any {
	if f, ok := v.(float64); ok {
		return math.Round(f*1000) / 1000
	}
	return v
}

func toStruct(n *node.Node[core.Structure]) *structNode {
	d := n.GetData()
	out := &structNode{Type: d.Type, Value: round(d.Value)}
	if len(d.Details) > 0 {
		out.Details = map[string]any{}
		for k, v := range d.Details {
			out.Details[k] = round(v)
		}
	}
	for _, next := range n.GetNexts() {
		out.Nodes = append(out.Nodes, toStruct(next))
	}
	return out
}

// TestPDFStructureGolden compares maroto's layout tree (pages, rows,
// columns, texts and their styles) with want.pdf.json in each case folder.
func TestPDFStructureGolden(t *testing.T) {
	fonts := needFonts(t)
	dirs, _ := filepath.Glob(filepath.Join(goldenDir, "*", "result.json"))
	for _, p := range dirs {
		dir := filepath.Dir(p)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			r, o := loadCase(t, dir)
			m, _, err := buildPDF(r, pdfOptions(o, fonts))
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(toStruct(m.GetStructure()), "", " ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			want := filepath.Join(dir, "want.pdf.json")
			if *update {
				if err := os.WriteFile(want, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			w, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if string(got) != string(w) {
				t.Errorf("%s differs; rerun with -update and review the diff\n%s", want, firstDiff(string(got), string(w)))
			}
		})
	}
}

// TestPDFPreview writes the approval and PNGs of its pages for a person to
// look at: RECON_SCREENSHOTS=DIR go test ./reports/ -run TestPDFPreview.
// Without the variable it renders them into a temporary folder, so the
// preview path never rots.
func TestPDFPreview(t *testing.T) {
	dir := os.Getenv("RECON_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	fonts := needFonts(t)
	for _, c := range []string{"rehearsal_es", "clean_en", "empty"} {
		r, o := loadCase(t, filepath.Join(goldenDir, c))
		p := filepath.Join(dir, c+".pdf")
		if err := os.WriteFile(p, renderPDF(t, r, pdfOptions(o, fonts)), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("pdftoppm", "-png", "-r", "50", p, filepath.Join(dir, c)).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, out)
		}
		if pages, _ := filepath.Glob(filepath.Join(dir, c+"-*.png")); len(pages) == 0 {
			t.Errorf("%s: pdftoppm wrote no page", c)
		}
	}
}

func TestPDFEdgeCases(t *testing.T) {
	fonts := needFonts(t)
	text := strings.Join(pdfText(t, renderPDF(t, edgeResult(), PDFOptions{Lang: i18n.EN, Fonts: fonts})), "\n")
	for _, want := range []string{"Verified, with critical issues to resolve before sign-off", "treatments", "blocker",
		"… and 1,025 more: see the HTML report.", "Run #3"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF lacks %q", want)
		}
	}
}
