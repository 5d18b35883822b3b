package reports

import (
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
)

// wordBox is one word pdftotext -bbox found, in points from the page's
// top left.
type wordBox struct {
	Page                   int
	Text                   string
	XMin, YMin, XMax, YMax float64
}

// pdfWords reads every word's box with pdftotext -bbox.
func pdfWords(t *testing.T, pdf []byte) []wordBox {
	t.Helper()
	bin := needTool(t, "pdftotext", "poppler-utils")
	p := filepath.Join(t.TempDir(), "approval.pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-bbox", "-enc", "UTF-8", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	var doc struct {
		Pages []struct {
			Words []struct {
				XMin float64 `xml:"xMin,attr"`
				YMin float64 `xml:"yMin,attr"`
				XMax float64 `xml:"xMax,attr"`
				YMax float64 `xml:"yMax,attr"`
				Text string  `xml:",chardata"`
			} `xml:"word"`
		} `xml:"body>doc>page"`
	}
	dec := xml.NewDecoder(strings.NewReader(string(out)))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("read pdftotext -bbox: %v", err)
	}
	var words []wordBox
	for i, pg := range doc.Pages {
		for _, w := range pg.Words {
			words = append(words, wordBox{i + 1, w.Text, w.XMin, w.YMin, w.XMax, w.YMax})
		}
	}
	return words
}

// overlaps lists the pairs of words on one page whose boxes share more
// than slack points both across and down: text printed over text.
func overlaps(words []wordBox, slack float64) []string {
	var out []string
	for i, a := range words {
		for _, b := range words[i+1:] {
			if a.Page != b.Page {
				continue
			}
			dx := min(a.XMax, b.XMax) - max(a.XMin, b.XMin)
			dy := min(a.YMax, b.YMax) - max(a.YMin, b.YMin)
			if dx > slack && dy > slack {
				out = append(out, fmt.Sprintf("page %d: %q (%.1f,%.1f–%.1f,%.1f) over %q (%.1f,%.1f–%.1f,%.1f)",
					a.Page, a.Text, a.XMin, a.YMin, a.XMax, a.YMax, b.Text, b.XMin, b.YMin, b.XMax, b.YMax))
			}
		}
	}
	return out
}

func TestOverlaps(t *testing.T) {
	words := []wordBox{
		{1, "curso", 10, 100, 40, 110},
		{1, "Archivos", 12, 104, 38, 114}, // printed over "curso"
		{1, "next", 41, 100, 60, 110},     // beside it
		{2, "other", 10, 100, 40, 110},    // another page
		{1, "below", 10, 114.2, 40, 124},  // the next line
	}
	got := overlaps(words, 0.5)
	if len(got) != 1 || !strings.Contains(got[0], `"curso"`) || !strings.Contains(got[0], `"Archivos"`) {
		t.Errorf("overlaps = %q, want curso over Archivos only", got)
	}
}

// TestPDFNoTextOverText renders approvals whose texts wrap (a correction
// with a long reason, resolved critical issues, long checklist labels in
// both languages) and fails when any word is printed over another.
func TestPDFNoTextOverText(t *testing.T) {
	fonts := needFonts(t)
	r := fixture(t)
	if len(r.Corrections) == 0 || len(r.ResolvedCritical) == 0 {
		t.Fatal("the fixture must hold a correction and resolved critical issues")
	}
	for _, tc := range []struct {
		name string
		o    PDFOptions
	}{
		{"es", PDFOptions{Now: fixedNow, Signer: "Dr. Pablo Ramírez", Fonts: fonts}},
		{"en", PDFOptions{Lang: i18n.EN, Now: fixedNow, Fonts: fonts}},
		{"builtin", PDFOptions{Now: fixedNow}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pdf := renderPDF(t, r, tc.o)
			words := pdfWords(t, pdf)
			text := ""
			for _, w := range words {
				text += w.Text + " "
			}
			for _, want := range []string{"Benita", "P-2115", "C-0877"} {
				if !strings.Contains(text, want) {
					t.Errorf("the PDF lacks %q", want)
				}
			}
			for _, o := range overlaps(words, 0.5) {
				t.Error(o)
			}
		})
	}
}

// TestPDFRecordsWhatDiffers: the approval lists the manual corrections
// with who, when, before, after and why, who resolved the critical issues
// and how, and each resolved one in the annex, in both languages.
func TestPDFRecordsWhatDiffers(t *testing.T) {
	fonts := needFonts(t)
	r := fixture(t)
	for _, tc := range []struct {
		lang i18n.Lang
		want []string
	}{
		{i18n.ES, []string{"Diferencias con la exportación", "Correcciones manuales (2)", "Benito", "Benita",
			"2026-11-13 11:20", "error de digitación", "Filas creadas en Pet-Friendly", "No migrado",
			"Cómo se resolvieron", "aceptado: mascotas de clientes dados de baja en 2019", "María Fernández",
			"Anexo A: problemas críticos resueltos (18)", "P-2100", "curso o revertidos"}},
		{i18n.EN, []string{"What differs from the export", "Manual corrections (2)", "Benita", "How they were resolved",
			"Annex A: resolved critical issues (18)", "C-0311"}},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			pages := pdfText(t, renderPDF(t, r, PDFOptions{Lang: tc.lang, Now: fixedNow, Fonts: fonts}))
			// pdftotext -layout keeps a wrapped cell's lines apart; join the
			// words so a phrase is found across a line break.
			all := strings.Join(strings.Fields(strings.Join(pages, " ")), " ")
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("the PDF lacks %q", w)
				}
			}
			// The annex comes before the approval: the signature is last.
			last := pages[len(pages)-1]
			if !strings.Contains(last, approval.SignatureFieldName) {
				t.Error("the signature block is not on the last page")
			}
		})
	}
}

// The approval names every column and sheet that did not reach
// Pet-Friendly, the ones the mapping file declares too: what is signed
// must say which cells stayed behind.
func TestPDFNamesColumnsAndSheetsNotMigrated(t *testing.T) {
	fonts := needFonts(t)
	r := fixture(t)
	if len(r.Sources) == 0 {
		t.Fatal("the fixture has no source files")
	}
	r.Sources[0].Columns = append(r.Sources[0].Columns,
		source.Column{Index: 3, Header: "diagnostico_final", Status: source.ColumnNotMigrated, Filled: 41, Sample: "otitis externa"},
		source.Column{Index: 4, Header: "observaciones", Status: source.ColumnConflict, Competes: "notas", CompetesWith: "notas", Filled: 7},
		source.Column{Index: 5, Header: "region", Status: source.ColumnIgnored},
		source.Column{Index: 1, Header: "id", Type: "clients", Field: "id", Status: source.ColumnMapped})
	r.Sources[0].Sheets = []source.Sheet{{Name: "Clientes", Status: source.SheetRead}, {Name: "Viejos", Hidden: true, Status: source.SheetHidden}}
	pages := pdfText(t, renderPDF(t, r, PDFOptions{Lang: i18n.ES, Now: fixedNow, Fonts: fonts}))
	all := strings.Join(strings.Fields(strings.Join(pages, " ")), " ")
	for _, w := range []string{`columna "diagnostico_final": NO MIGRADA: no llega a ningún campo (41 celdas con valor`,
		`columna "observaciones": NO MIGRADA: compite con "notas"`, `columna "region": declarada no migrada`,
		`hoja "Viejos": oculta: no se lee`} {
		if !strings.Contains(all, w) {
			t.Errorf("the PDF lacks %q", w)
		}
	}
	if strings.Contains(all, `columna "id"`) {
		t.Error("a mapped column is listed as not migrated")
	}
}
