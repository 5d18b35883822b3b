package source

import (
	"encoding/csv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// RebuildLine writes a record's source data back as the line OkVet's
// export has for it: the type's fields present in data, in the type
// table's order (OkVet's column order), as one CSV line with commas
// (encoding/csv). When that is exactly the text read, the migration record
// need not store the text as well (raw_line is blank) and readers rebuild
// it with this.
func RebuildLine(t Type, data map[string]string) string {
	cells := make([]string, 0, len(data))
	for _, f := range t.Fields {
		if v, ok := data[f.Name]; ok {
			cells = append(cells, v)
		}
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(cells) // a strings.Builder cannot fail
	w.Flush()
	return strings.TrimSuffix(b.String(), "\n")
}

// Rebuilds says whether RebuildLine(t, data) == text without building the
// line (the importer asks for every row; TestRebuilds pins the two
// together).
func Rebuilds(t Type, data map[string]string, text string) bool {
	pos, first := 0, true
	for _, f := range t.Fields {
		v, ok := data[f.Name]
		if !ok {
			continue
		}
		if !first {
			if pos >= len(text) || text[pos] != ',' {
				return false
			}
			pos++
		}
		first = false
		if !csvQuotes(v) {
			if !strings.HasPrefix(text[pos:], v) {
				return false
			}
			pos += len(v)
			continue
		}
		if pos >= len(text) || text[pos] != '"' {
			return false
		}
		pos++
		for len(v) > 0 {
			i := strings.IndexByte(v, '"')
			if i < 0 {
				i = len(v)
			}
			if !strings.HasPrefix(text[pos:], v[:i]) {
				return false
			}
			pos += i
			if i < len(v) {
				if !strings.HasPrefix(text[pos:], `""`) {
					return false
				}
				pos += 2
				i++
			}
			v = v[i:]
		}
		if pos >= len(text) || text[pos] != '"' {
			return false
		}
		pos++
	}
	return pos == len(text)
}

// csvQuotes is encoding/csv's rule, with a comma, for quoting a field.
func csvQuotes(field string) bool {
	if field == "" {
		return false
	}
	if field == `\.` || strings.ContainsAny(field, "\n\r\",") {
		return true
	}
	r, _ := utf8.DecodeRuneInString(field)
	return unicode.IsSpace(r)
}
