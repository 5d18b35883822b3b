package reports

import (
	"strings"
	"unicode"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// inWindows1252 reports whether the PDF's built-in fonts draw r: they
// are encoded in Windows-1252, which holds all of Latin-1 (á, ñ, ¿, «)
// plus “ ” ‘ ’ – — … • €.
func inWindows1252(r rune) bool {
	if r < 0x80 {
		return true
	}
	_, ok := charmap.Windows1252.EncodeRune(r)
	return ok
}

// asciiFallback is how a character reads when the font cannot draw it.
func asciiFallback(r rune) (string, bool) {
	switch r {
	case '→', '⟶', '➔', '➜':
		return "->", true
	case '←', '⟵':
		return "<-", true
	case '↔', '⟷':
		return "<->", true
	case '⇒':
		return "=>", true
	case '⇐':
		return "<=", true
	case '−', '‐', '‑', '‒', '–', '—', '―':
		return "-", true
	case '“', '”', '„', '‟', '″':
		return `"`, true
	case '‘', '’', '‚', '‛', '′':
		return "'", true
	case '‹':
		return "<", true
	case '›':
		return ">", true
	case '…':
		return "...", true
	case '•', '◦', '▪':
		return "*", true
	case '✔', '✓', '✅', '☑':
		return "[OK]", true
	case '✘', '✗', '❌', '☒':
		return "[X]", true
	case '⚠':
		return "(!)", true
	case '≈':
		return "~", true
	case '≠':
		return "!=", true
	case '≤':
		return "<=", true
	case '≥':
		return ">=", true
	case '€':
		return "EUR", true
	case '™':
		return "(TM)", true
	case '№':
		return "No.", true
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff': // zero-width
		return "", true
	}
	if unicode.Is(unicode.Zs, r) { // thin, narrow and other spaces
		return " ", true
	}
	return "", false
}

// transliterate rewrites s so the font draws all of it: characters it
// lacks become their ASCII reading (→ as ->, ✔ as [OK]), a letter with a
// mark it lacks becomes the bare letter (ő as o), and anything else "?".
func transliterate(s string, covered func(rune) bool) string {
	all := true
	for _, r := range s {
		if !covered(r) {
			all = false
			break
		}
	}
	if all {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case covered(r):
			b.WriteRune(r)
		default:
			b.WriteString(fallbackFor(r, covered))
		}
	}
	return b.String()
}

func fallbackFor(r rune, covered func(rune) bool) string {
	if alt, ok := asciiFallback(r); ok {
		return alt
	}
	// The letter without its marks, composed again if the font has that
	// (ǘ to ü) or bare (ő to o).
	d := []rune(norm.NFD.String(string(r)))
	if len(d) > 1 {
		for n := len(d) - 1; n >= 1; n-- {
			if c := norm.NFC.String(string(d[:n])); len([]rune(c)) == 1 && covered([]rune(c)[0]) {
				return c
			}
		}
	}
	return "?"
}
