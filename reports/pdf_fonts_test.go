package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/i18n"
)

// TestPDFBuiltinFonts writes the approval with no font to be found, as on
// a machine without DejaVu or Liberation: a valid PDF in Helvetica with
// the Spanish text intact and the symbols Helvetica lacks spelled out.
func TestPDFBuiltinFonts(t *testing.T) {
	fonts := FindPDFFonts([]string{t.TempDir()})
	if !fonts.Builtin() || fonts.Family != "" {
		t.Fatalf("an empty font folder gave %q", fonts.Family)
	}
	r := fixture(t)
	tests := []struct {
		lang      i18n.Lang
		want, not []string
	}{
		{i18n.ES,
			[]string{"Aprobación de migración de datos", "Revisión: Dra. Peña, niño ¿sí?", "historias clínicas", "ítems de factura",
				"OkVet.co -> Pet-Friendly", "Cadenas propietario -> mascota -> registros íntegras", "[OK] sí", "[X] no",
				"Página 1 de", "Ejecución #7", "«", "»", "— 37 duplicados fusionados"},
			[]string{"→", "✔", "✘", "−"}},
		{i18n.EN,
			[]string{"Data migration approval", "Revisión: Dra. Peña, niño ¿sí?", "Owner -> pet -> record chains intact",
				"[OK] yes", "[X] no", "Page 1 of", "“"},
			[]string{"→", "✔", "✘"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			var buf bytes.Buffer
			err := PDF(&buf, r, PDFOptions{Lang: tt.lang, Now: fixedNow, Signer: "Revisión: Dra. Peña, niño ¿sí?", Fonts: fonts})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) || !bytes.Contains(buf.Bytes(), []byte("/BaseFont /Helvetica")) {
				t.Fatal("not a PDF set in the built-in Helvetica")
			}
			text := strings.Join(pdfText(t, buf.Bytes()), "\n")
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("PDF text lacks %q", w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(text, n) {
					t.Errorf("PDF text holds %q, which Helvetica cannot draw", n)
				}
			}
		})
	}
}

// TestPDFFontDir sets the approval in DejaVu Sans from a folder of one's
// own, as --font-dir does: the symbols stay as they are.
func TestPDFFontDir(t *testing.T) {
	dejavu := needFonts(t)
	dir := t.TempDir()
	copyFont(t, dejavu.Regular, filepath.Join(dir, "DejaVuSans.ttf"))
	copyFont(t, dejavu.Bold, filepath.Join(dir, "DejaVuSans-Bold.ttf"))
	fonts := FindPDFFonts([]string{dir})
	if fonts.Builtin() || fonts.Family != "DejaVu Sans" || fonts.Regular != filepath.Join(dir, "DejaVuSans.ttf") {
		t.Fatalf("found %+v", fonts)
	}
	var buf bytes.Buffer
	if err := PDF(&buf, fixture(t), PDFOptions{Now: fixedNow, Signer: "Dra. Peña", Fonts: fonts}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte("/BaseFont /Helvetica")) {
		t.Error("the PDF uses Helvetica although DejaVu was given")
	}
	text := strings.Join(pdfText(t, buf.Bytes()), "\n")
	for _, w := range []string{"OkVet.co → Pet-Friendly", "✔ sí", "✘ no", "Dra. Peña", "Página 1 de"} {
		if !strings.Contains(text, w) {
			t.Errorf("PDF text lacks %q", w)
		}
	}
}

func copyFont(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFindPDFFonts picks families by their file names, so DejaVu's bytes
// stand in for the other families.
func TestFindPDFFonts(t *testing.T) {
	dejavu := needFonts(t)
	type file struct{ name, from string } // from: "regular", "bold", "text" or "dir"
	tests := []struct {
		name        string
		dirs        [][]file
		wantFamily  string // "" is the built-in Helvetica
		wantDir     int
		wantSkipped string
	}{
		{"nothing", [][]file{{}}, "", 0, ""},
		{"liberation", [][]file{{{"LiberationSans-Regular.ttf", "regular"}, {"LiberationSans-Bold.ttf", "bold"}}}, "Liberation Sans", 0, ""},
		{"macOS arial", [][]file{{{"Arial.ttf", "regular"}, {"Arial Bold.ttf", "bold"}}}, "Arial", 0, ""},
		{"dejavu preferred in a later folder", [][]file{
			{{"LiberationSans-Regular.ttf", "regular"}, {"LiberationSans-Bold.ttf", "bold"}},
			{{"DejaVuSans.ttf", "regular"}, {"DejaVuSans-Bold.ttf", "bold"}}}, "DejaVu Sans", 1, ""},
		{"first folder wins within a family", [][]file{
			{{"DejaVuSans.ttf", "regular"}, {"DejaVuSans-Bold.ttf", "bold"}},
			{{"DejaVuSans.ttf", "regular"}, {"DejaVuSans-Bold.ttf", "bold"}}}, "DejaVu Sans", 0, ""},
		{"no bold", [][]file{{{"DejaVuSans.ttf", "regular"}}}, "", 0, ""},
		{"not a font", [][]file{{{"DejaVuSans.ttf", "text"}, {"DejaVuSans-Bold.ttf", "bold"},
			{"NotoSans-Regular.ttf", "regular"}, {"NotoSans-Bold.ttf", "bold"}}}, "Noto Sans", 0, "not a TrueType font"},
		{"a folder named like the font", [][]file{{{"DejaVuSans.ttf", "dir"}, {"DejaVuSans-Bold.ttf", "bold"}}}, "", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var dirs []string
			for _, files := range tt.dirs {
				dir := t.TempDir()
				for _, f := range files {
					p := filepath.Join(dir, f.name)
					switch f.from {
					case "regular":
						copyFont(t, dejavu.Regular, p)
					case "bold":
						copyFont(t, dejavu.Bold, p)
					case "text":
						if err := os.WriteFile(p, []byte("not a font"), 0o644); err != nil {
							t.Fatal(err)
						}
					case "dir":
						if err := os.Mkdir(p, 0o755); err != nil {
							t.Fatal(err)
						}
					}
				}
				dirs = append(dirs, dir)
			}
			got := FindPDFFonts(append([]string{"", filepath.Join(t.TempDir(), "missing")}, dirs...))
			if got.Family != tt.wantFamily || got.Builtin() != (tt.wantFamily == "") {
				t.Fatalf("family %q (builtin %v), want %q", got.Family, got.Builtin(), tt.wantFamily)
			}
			if tt.wantFamily != "" && filepath.Dir(got.Regular) != dirs[tt.wantDir] {
				t.Errorf("found in %s, want %s", filepath.Dir(got.Regular), dirs[tt.wantDir])
			}
			if joined := strings.Join(got.Skipped, "; "); (tt.wantSkipped == "") != (joined == "") || !strings.Contains(joined, tt.wantSkipped) {
				t.Errorf("skipped %q, want %q", joined, tt.wantSkipped)
			}
		})
	}
}

func TestFontDirs(t *testing.T) {
	system := FontDirs("")
	for _, want := range []string{"/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu-sans-fonts", "/usr/share/fonts/liberation-sans-fonts",
		"/System/Library/Fonts/Supplemental", "/Library/Fonts"} {
		if !slices.Contains(system, want) {
			t.Errorf("FontDirs lacks %s", want)
		}
	}
	home := FontDirs("/home/ana")
	if len(home) != len(system)+3 || !slices.Contains(home, "/home/ana/Library/Fonts") || !slices.Contains(home, "/home/ana/.local/share/fonts") {
		t.Errorf("FontDirs(home) = %v", home[len(system):])
	}
}

func TestTransliterate(t *testing.T) {
	ascii := func(r rune) bool { return r < 0x80 }
	tests := []struct {
		name, in, want string
		covered        func(rune) bool
	}{
		{"spanish stays", "Revisión de Peña: ¿niño? ¡Sí! «ü» 1.234 €", "Revisión de Peña: ¿niño? ¡Sí! «ü» 1.234 €", inWindows1252},
		{"windows-1252 punctuation stays", "— “x” ‘y’ … • –", "— “x” ‘y’ … • –", inWindows1252},
		{"arrows", "OkVet.co → Pet-Friendly ← ↔ ⇒", "OkVet.co -> Pet-Friendly <- <-> =>", inWindows1252},
		{"marks", "✔ sí ✘ no ✅ ❌ ⚠", "[OK] sí [X] no [OK] [X] (!)", inWindows1252},
		{"minus and maths", "−4.321 ≈ 5 ≤ 6 ≠ 7", "-4.321 ~ 5 <= 6 != 7", inWindows1252},
		{"spaces", "1\u202f234\u2009x\u200by", "1 234 xy", inWindows1252},
		{"letters outside", "Dvořák Łódź ő ǘ", "Dvorák ?ódz o ü", inWindows1252},
		{"other scripts", "中文 Ωμέγα", "?? ?????", inWindows1252},
		{"ascii only", "— “x” ñ …", `- "x" n ...`, ascii},
		{"ascii readings", "⇐ ‘a’ ‹b› • ≥ 5 € ™ №", "<= 'a' <b> * >= 5 EUR (TM) No.", ascii},
		{"font with everything", "→ ✔", "→ ✔", func(rune) bool { return true }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := transliterate(tt.in, tt.covered); got != tt.want {
				t.Errorf("transliterate(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
