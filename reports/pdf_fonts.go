package reports

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/image/font/sfnt"
)

// PDFFonts is the typeface the approval PDF is set in: a TrueType family
// found on this machine by FindPDFFonts, regular and bold. The zero value
// is the PDF's built-in Helvetica, always available but limited to the
// Windows-1252 characters (Spanish and the other Western European
// languages); the PDF transliterates any other, e.g. → as ->.
type PDFFonts struct {
	Family        string   // e.g. "DejaVu Sans"; "" for the built-in Helvetica
	Regular, Bold string   // the files read
	Skipped       []string // font files found but not usable, with the reason
	regular, bold []byte
}

// Builtin reports whether the PDF uses its built-in Helvetica.
func (f PDFFonts) Builtin() bool { return f.regular == nil }

// fontFamily names the two TrueType files of a family.
type fontFamily struct{ name, regular, bold string }

// pdfFontFamilies are the families the PDF can be set in, best first:
// DejaVu Sans draws every symbol the document uses (✔, ✘, →); the others
// draw all Spanish text and the PDF transliterates the symbols they lack.
func pdfFontFamilies() []fontFamily {
	return []fontFamily{
		{"DejaVu Sans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"},
		{"Liberation Sans", "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"},
		{"Noto Sans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"},
		{"FreeSans", "FreeSans.ttf", "FreeSansBold.ttf"},
		{"Arial", "Arial.ttf", "Arial Bold.ttf"}, // macOS
		{"Arial", "arial.ttf", "arialbd.ttf"},    // Microsoft core fonts on Linux
	}
}

// FontDirs lists where Debian and Ubuntu, Fedora, Arch, Alpine and macOS
// install those families, then the user's own font folders under home
// (left out when home is empty).
func FontDirs(home string) []string {
	dirs := []string{
		// Debian, Ubuntu: fonts-dejavu-core, fonts-liberation(2), fonts-noto-core, fonts-freefont-ttf, ttf-mscorefonts-installer
		"/usr/share/fonts/truetype/dejavu",
		"/usr/share/fonts/truetype/liberation2",
		"/usr/share/fonts/truetype/liberation",
		"/usr/share/fonts/truetype/noto",
		"/usr/share/fonts/truetype/freefont",
		"/usr/share/fonts/truetype/msttcorefonts",
		// Fedora: dejavu-sans-fonts, liberation-sans-fonts, google-noto-sans-fonts, gnu-free-sans-fonts
		"/usr/share/fonts/dejavu-sans-fonts",
		"/usr/share/fonts/liberation-sans-fonts",
		"/usr/share/fonts/liberation-sans",
		"/usr/share/fonts/google-noto",
		"/usr/share/fonts/gnu-free",
		// Arch (ttf-dejavu, ttf-liberation), Alpine (font-dejavu) and older Fedora
		"/usr/share/fonts/TTF",
		"/usr/share/fonts/liberation",
		"/usr/share/fonts/noto",
		"/usr/share/fonts/dejavu",
		// macOS: Arial ships with the system; Homebrew casks install into the Fonts folders
		"/System/Library/Fonts/Supplemental",
		"/Library/Fonts",
	}
	if home != "" {
		dirs = append(dirs,
			filepath.Join(home, "Library", "Fonts"),
			filepath.Join(home, ".local", "share", "fonts"),
			filepath.Join(home, ".fonts"))
	}
	return dirs
}

// FindPDFFonts returns the first family of pdfFontFamilies whose regular
// and bold files are both in one of dirs, trying every folder for a family
// before the next family. Files that are there but cannot be used are
// skipped and listed in Skipped. When no family is found it returns the
// built-in Helvetica: a PDF can always be written.
func FindPDFFonts(dirs []string) PDFFonts {
	var skipped []string
	for _, fam := range pdfFontFamilies() {
		for _, dir := range dirs {
			if dir == "" {
				continue
			}
			reg, bold := filepath.Join(dir, fam.regular), filepath.Join(dir, fam.bold)
			if !isFile(reg) || !isFile(bold) {
				continue
			}
			rb, err := readTrueType(reg)
			if err == nil {
				var bb []byte
				if bb, err = readTrueType(bold); err == nil {
					return PDFFonts{Family: fam.name, Regular: reg, Bold: bold, Skipped: skipped, regular: rb, bold: bb}
				}
			}
			skipped = append(skipped, err.Error())
		}
	}
	return PDFFonts{Skipped: skipped}
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// readTrueType reads a font file the PDF can embed: TrueType outlines in
// a single font (not an OpenType CFF font nor a collection).
func readTrueType(p string) ([]byte, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("read font %s: %w", p, err)
	}
	if len(b) < 4 || !(bytes.Equal(b[:4], []byte{0, 1, 0, 0}) || string(b[:4]) == "true") {
		return nil, fmt.Errorf("font %s: not a TrueType font", p)
	}
	if _, err := sfnt.Parse(b); err != nil {
		return nil, fmt.Errorf("font %s: %w", p, err)
	}
	return b, nil
}

// coverage returns which runes the fonts draw, in both styles.
func (f PDFFonts) coverage() (func(rune) bool, error) {
	if f.Builtin() {
		return inWindows1252, nil
	}
	var fonts []*sfnt.Font
	for _, b := range [][]byte{f.regular, f.bold} {
		ft, err := sfnt.Parse(b)
		if err != nil {
			return nil, fmt.Errorf("font %s: %w", f.Family, err)
		}
		fonts = append(fonts, ft)
	}
	var buf sfnt.Buffer
	seen := map[rune]bool{}
	return func(r rune) bool {
		if r < 0x80 {
			return true
		}
		if ok, known := seen[r]; known {
			return ok
		}
		ok := true
		for _, ft := range fonts {
			i, err := ft.GlyphIndex(&buf, r)
			ok = ok && err == nil && i != 0
		}
		seen[r] = ok
		return ok
	}, nil
}
