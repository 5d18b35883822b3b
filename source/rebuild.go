package source

import (
	"encoding/csv"
	"strings"
)

// RebuildLine writes a record's source data back as the line OkVet's
// export has for it: the type's fields present in data, in the type
// table's order (OkVet's column order), as one CSV line with commas. When
// that is exactly the text read, the migration record need not store the
// text as well (raw_line is blank) and readers rebuild it with this.
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
