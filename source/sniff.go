package source

import (
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// sniffSize is how much of a file is examined to choose the format, the
// encoding and the delimiter. Large enough for a few dozen wide rows.
const sniffSize = 64 << 10

// Encodings recon reads, as reported by FileInfo.Encoding.
const (
	EncUTF8        = "utf-8"
	EncUTF8BOM     = "utf-8-bom"
	EncUTF16LE     = "utf-16le"
	EncUTF16BE     = "utf-16be"
	EncWindows1252 = "windows-1252"
)

// Formats, as reported by FileInfo.Format.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// sniffFormat tells xlsx from text from binary by the first bytes. For text
// it also returns the encoding.
func sniffFormat(p []byte) (format, enc string, err error) {
	switch {
	case len(p) == 0:
		return "", "", ErrEmpty
	case bytes.HasPrefix(p, []byte("PK\x03\x04")), bytes.HasPrefix(p, []byte("PK\x05\x06")):
		return FormatXLSX, "", nil
	case bytes.HasPrefix(p, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return "", "", ErrLegacyXLS
	case bytes.HasPrefix(p, []byte{0xEF, 0xBB, 0xBF}):
		return FormatCSV, EncUTF8BOM, nil
	case bytes.HasPrefix(p, []byte{0xFF, 0xFE}) && !bytes.HasPrefix(p, []byte{0xFF, 0xFE, 0, 0}):
		return FormatCSV, EncUTF16LE, nil
	case bytes.HasPrefix(p, []byte{0xFE, 0xFF}):
		return FormatCSV, EncUTF16BE, nil
	}
	if enc := sniffUTF16(p); enc != "" {
		return FormatCSV, enc, nil
	}
	if looksBinary(p) {
		return "", "", ErrBinary
	}
	return FormatCSV, sniffText(p), nil
}

// sniffText tells UTF-8 from Windows-1252. Mostly-valid UTF-8 with a few
// stray bytes stays UTF-8 (the bad cells are repaired and reported one by
// one); Latin-1 text almost never forms valid multi-byte sequences.
func sniffText(p []byte) string {
	if len(p) == sniffSize {
		if i := lastRuneStart(p); !utf8.FullRune(p[i:]) {
			p = p[:i] // cut inside a rune by the sniff window
		}
	}
	multi, bad := 0, 0
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRune(p[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			bad++
		case size > 1:
			multi++
		}
		i += size
	}
	if bad == 0 || multi >= bad {
		return EncUTF8
	}
	return EncWindows1252
}

func lastRuneStart(p []byte) int {
	for i := len(p) - 1; i >= 0 && i >= len(p)-utf8.UTFMax; i-- {
		if utf8.RuneStart(p[i]) {
			return i
		}
	}
	return len(p) - 1
}

// sniffUTF16 recognises BOM-less UTF-16 by its NUL bytes: ASCII text in
// UTF-16LE has a NUL at every odd offset.
func sniffUTF16(p []byte) string {
	n := min(len(p), 1024) &^ 1
	if n < 4 {
		return ""
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if p[i] == 0 {
			even++
		}
		if p[i+1] == 0 {
			odd++
		}
	}
	half := n / 2
	switch {
	case odd*10 >= half*7 && even*20 <= half:
		return EncUTF16LE
	case even*10 >= half*7 && odd*20 <= half:
		return EncUTF16BE
	}
	return ""
}

// looksBinary reports many control characters (NUL among them): no export
// written by a spreadsheet or a database dump has them. A few NUL bytes in
// otherwise plain text are damage of single rows, which the Reader rejects
// one by one with their position (ErrNUL), wherever they are in the file.
func looksBinary(p []byte) bool {
	ctl := 0
	for _, b := range p {
		switch {
		case b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x1A:
			ctl++
		}
	}
	return ctl > len(p)/100+2
}

// decoder returns r decoded to UTF-8 for the sniffed encoding. Plain UTF-8
// passes through untouched; invalid bytes in it are repaired cell by cell so
// each can be reported (see fixUTF8).
func decoder(r io.Reader, enc string) io.Reader {
	switch enc {
	case EncUTF8BOM:
		return transform.NewReader(r, unicode.UTF8BOM.NewDecoder())
	case EncUTF16LE:
		return transform.NewReader(r, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder())
	case EncUTF16BE:
		return transform.NewReader(r, unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder())
	case EncWindows1252:
		return transform.NewReader(r, charmap.Windows1252.NewDecoder())
	}
	return r
}

// fixUTF8 decodes the invalid bytes of s as Windows-1252: a UTF-8 file
// whose first 64 KiB were clean can still carry a Latin-1 row pasted later.
func fixUTF8(s string) (string, bool) {
	if utf8.ValidString(s) {
		return s, false
	}
	var b bytes.Buffer
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(charmap.Windows1252.DecodeByte(s[i]))
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String(), true
}

// delimiters are the separators recon sniffs, in order of preference on a tie.
const delimiters = ",;\t|"

// sniffDelimiter picks the separator that splits the most records into the
// same number (> 1) of fields. Title rows ("OkVet - Mascotas") have one
// field whatever the separator, so they do not count; a decimal comma in a
// ";" file changes the comma count from row to row, so ";" wins.
func sniffDelimiter(text []byte, complete bool) rune {
	best, bestFreq, bestWidth := ',', 0, 0
	for _, d := range delimiters {
		freq, width := modalWidth(fieldCounts(text, byte(d), complete))
		if freq > bestFreq || freq == bestFreq && width > bestWidth {
			best, bestFreq, bestWidth = d, freq, width
		}
	}
	return best
}

// fieldCounts counts fields per record over at most 50 records, honouring
// quotes (a quoted field may hold separators and line breaks).
func fieldCounts(text []byte, d byte, complete bool) []int {
	var counts []int
	inQuote, fields, content := false, 1, false
	for _, b := range text {
		switch {
		case b == '"':
			inQuote = !inQuote
			content = true
		case inQuote:
		case b == d:
			fields++
			content = true
		case b == '\n':
			if content {
				counts = append(counts, fields)
				if len(counts) == 50 {
					return counts
				}
			}
			fields, content = 1, false
		case b != '\r':
			content = true
		}
	}
	if complete && content && !inQuote {
		counts = append(counts, fields)
	}
	return counts
}

// modalWidth returns how many records share the most common field count
// above one, and that count.
func modalWidth(counts []int) (freq, width int) {
	seen := map[int]int{}
	for _, c := range counts {
		if c > 1 {
			seen[c]++
		}
	}
	for c, n := range seen {
		if n > freq || n == freq && c > width {
			freq, width = n, c
		}
	}
	return freq, width
}

// delimiterName is the printable form used in FileInfo.
func delimiterName(d rune) string {
	if d == '\t' {
		return "tab"
	}
	return string(d)
}
