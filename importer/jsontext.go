package importer

import (
	"encoding/json"
	"sort"
	"unicode/utf8"

	"github.com/petfriendly/recon/source"
)

// The tracking rows carry each source row's cells (raw_data) and issues
// (validation_errors) as jsonb. encoding/json's reflection over a fresh map
// per row was a tenth of the import's CPU; these write the same JSON values
// directly (PostgreSQL stores jsonb in its own canonical form, so only the
// values matter; TestJSONTextMatchesEncodingJSON pins them).

// rawJSON is {"field": "text", ...} with sorted keys.
func rawJSON(m map[string]string) json.RawMessage {
	keys := make([]string, 0, len(m))
	size := 2
	for k, v := range m {
		keys = append(keys, k)
		size += len(k) + len(v) + 6
	}
	sort.Strings(keys)
	b := make([]byte, 0, size)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSONString(b, m[k])
	}
	return append(b, '}')
}

// issuesJSON is the validation_errors array: one object per issue with the
// keys field, message, severity, type and value.
func issuesJSON(issues []source.Issue) json.RawMessage {
	if len(issues) == 0 {
		return json.RawMessage("[]")
	}
	b := make([]byte, 0, 128*len(issues))
	b = append(b, '[')
	for i, is := range issues {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"field":`...)
		b = appendJSONString(b, is.Field)
		b = append(b, `,"message":`...)
		b = appendJSONString(b, is.Message)
		b = append(b, `,"severity":`...)
		b = appendJSONString(b, is.Severity)
		b = append(b, `,"type":`...)
		b = appendJSONString(b, is.Type)
		b = append(b, `,"value":`...)
		b = appendJSONString(b, is.Value)
		b = append(b, '}')
	}
	return append(b, ']')
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as a JSON string; invalid UTF-8 becomes U+FFFD,
// as encoding/json does.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
