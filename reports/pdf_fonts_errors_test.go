package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnusableFonts: a font file that claims to be TrueType but is not is
// skipped with the reason and the PDF falls back to Helvetica; fonts that
// cannot be read when rendering fail the PDF instead of writing a broken one.
func TestUnusableFonts(t *testing.T) {
	dir := t.TempDir()
	broken := append([]byte{0, 1, 0, 0}, "no es una fuente"...)
	for _, name := range []string{"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"} {
		if err := os.WriteFile(filepath.Join(dir, name), broken, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f := FindPDFFonts([]string{dir})
	if !f.Builtin() || f.Family != "" {
		t.Errorf("broken DejaVu Sans used: %+v", f)
	}
	if len(f.Skipped) != 1 || !strings.HasPrefix(f.Skipped[0], "font "+filepath.Join(dir, "DejaVuSans.ttf")+": sfnt: ") {
		t.Errorf("Skipped = %q, want the regular file's parse error", f.Skipped)
	}

	var buf bytes.Buffer
	err := PDF(&buf, fixture(t), PDFOptions{Fonts: PDFFonts{Family: "Rota", regular: broken, bold: broken}})
	if err == nil || !strings.HasPrefix(err.Error(), "font Rota: sfnt: ") {
		t.Errorf("PDF with unreadable fonts: %v", err)
	}
	if buf.Len() != 0 {
		t.Errorf("PDF wrote %d bytes despite the error", buf.Len())
	}
}
