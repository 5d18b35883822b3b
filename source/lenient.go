package source

import "strings"

// lenientSplit reads one CSV record's text the way spreadsheets do when a
// quote appears inside an unquoted cell: as a character. Quoted cells stay
// strict: one must close, and only a delimiter may follow its closing
// quote. ok is false when the text is not one well-formed record under
// these rules (the parser's error then stands). bare lists the cells read
// with a bare quote.
func lenientSplit(text string, comma rune) (cells []string, bare []int, ok bool) {
	sep := string(comma)
	s := text
	for {
		if strings.HasPrefix(s, `"`) {
			var b strings.Builder
			s = s[1:]
			for {
				i := strings.IndexByte(s, '"')
				if i < 0 {
					return nil, nil, false // never closes
				}
				b.WriteString(s[:i])
				s = s[i+1:]
				if strings.HasPrefix(s, `"`) {
					b.WriteByte('"')
					s = s[1:]
					continue
				}
				break
			}
			// encoding/csv reads a quoted line break written \r\n as \n.
			cells = append(cells, strings.ReplaceAll(b.String(), "\r\n", "\n"))
			switch {
			case s == "":
				return cells, bare, len(bare) > 0
			case strings.HasPrefix(s, sep):
				s = s[len(sep):]
				continue
			}
			return nil, nil, false // text after a closing quote
		}
		cell, rest, more := strings.Cut(s, sep)
		if strings.ContainsAny(cell, "\r\n") {
			return nil, nil, false // a line break outside quotes: not one record
		}
		if strings.Contains(cell, `"`) {
			bare = append(bare, len(cells))
		}
		cells = append(cells, cell)
		if !more {
			return cells, bare, len(bare) > 0
		}
		s = rest
	}
}
