package source

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// clientLines is a clients file of n rows, C00001 on line 2; edit changes
// the text of one line (1-based) before joining.
func clientLines(n int, edit map[int]string) string {
	lines := []string{"id,nombre,email,celular,notas"}
	for i := 1; i <= n; i++ {
		lines = append(lines, fmt.Sprintf("C%05d,Cliente %d,c%d@x.co,300%07d,nota %d", i, i, i, i, i))
	}
	for ln, text := range edit {
		lines[ln-1] = text
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestQuoteMergedLines(t *testing.T) {
	tests := []struct {
		name                string
		data                string
		records             int
		merged, continued   int
		blank               int
		rowErr              string // substring of the one row error ("" = none)
		first, last, atLine int    // the MergedLinesError, when rowErr is a merge
	}{
		{name: "quote opened on line 6, error on line 8",
			data:    clientLines(10, map[int]string{6: `C00005,"Cliente 5,c5@x.co,3000000005,nota 5`, 8: `C00007,Cliente 7,c7@x.co,3000000007,"nota" 7`}),
			records: 8, merged: 2, rowErr: "lines 7–8 merged into line 6 by a quoting error", first: 7, last: 8, atLine: 6},
		{name: "quote opened on line 6, closed on line 8 with extra fields",
			data:    clientLines(10, map[int]string{6: `C00005,"Cliente 5,c5@x.co,3000000005,nota 5`, 8: `C00007,Cliente 7",c7@x.co,3000000007,nota 7`}),
			records: 8, merged: 2, rowErr: "lines 7–8 merged into line 6", first: 7, last: 8, atLine: 6},
		{name: "quote never closed swallows the rest of the file",
			data:    clientLines(6, map[int]string{3: `C00002,Cliente 2,c2@x.co,3000000002,"nota 2`}),
			records: 2, merged: 4, rowErr: "lines 4–7 merged into line 3", first: 4, last: 7, atLine: 3},
		{name: "one line swallowed",
			data:    clientLines(4, map[int]string{2: `C00001,"Cliente 1,c1@x.co,3000000001,nota 1`, 3: `C00002,Cliente 2",c2@x.co,3000000002,nota 2`}),
			records: 3, merged: 1, rowErr: "line 3 merged into line 2", first: 3, last: 3, atLine: 2},
		{name: "multi-line note stays a note",
			data:    "id,nombre,email,celular,notas\nC00001,Cliente 1,c1@x.co,3000000001,nota\nC00002,Cliente 2,c2@x.co,3000000002,\"Control:\nvómito, fiebre, diarrea\n\nok\"\nC00003,Cliente 3,c3@x.co,3000000003,nota 3\n",
			records: 3, continued: 2},
		{name: "note line with many commas but no id shape",
			data:    "id,nombre,email,celular,notas\nC1,Ana,a@x.co,3001234567,\"peso, talla, temp, fc, fr\nsigue\"\nC2,Luis,l@x.co,3001234568,x\n",
			records: 2, continued: 1},
		{name: "blank rows are counted apart",
			data:    "id,nombre,email,celular,notas\nC1,Ana,a@x.co,3001234567,x\n,,,,\n\nC2,Luis,l@x.co,3001234568,x\n",
			records: 2, blank: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), "clientes.csv", []byte(tc.data))
			res, err := readAll(t, p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.records) != tc.records {
				t.Errorf("%d records, want %d", len(res.records), tc.records)
			}
			if res.info.MergedLines != tc.merged || res.info.ContinuationLines != tc.continued || res.info.BlankRows != tc.blank {
				t.Errorf("merged %d, continued %d, blank %d; want %d, %d, %d", res.info.MergedLines, res.info.ContinuationLines,
					res.info.BlankRows, tc.merged, tc.continued, tc.blank)
			}
			// Every non-empty line after the header is a record's first line,
			// a blank row, a continuation or a merged line.
			lines := 0
			for _, l := range strings.Split(tc.data, "\n")[1:] {
				if l != "" {
					lines++
				}
			}
			if got := len(res.records) + res.info.BlankRows + res.info.ContinuationLines + res.info.MergedLines; got != lines {
				t.Errorf("records+blank+continued+merged = %d, the file has %d data lines", got, lines)
			}
			if tc.rowErr == "" {
				if len(res.rowErrs) != 0 {
					t.Fatalf("row errors %v", res.rowErrs)
				}
				return
			}
			if len(res.rowErrs) != 1 || !strings.Contains(res.rowErrs[0].Error(), tc.rowErr) {
				t.Fatalf("row errors %v, want one saying %q", res.rowErrs, tc.rowErr)
			}
			found := false
			for _, r := range res.records {
				for _, is := range r.Issues {
					found = found || is.Type == IssueQuoteMergedLines && is.Severity == SevCritical && is.Value == fmt.Sprintf("%d-%d", tc.first, tc.last) ||
						is.Type == IssueQuoteMergedLines && tc.first == tc.last && is.Value == fmt.Sprint(tc.first)
				}
			}
			if !found {
				t.Errorf("no record carries a critical %s issue with the lines", IssueQuoteMergedLines)
			}
			var m *MergedLinesError
			if !errors.As(res.rowErrs[0], &m) || !errors.Is(res.rowErrs[0], ErrQuoteMerged) {
				t.Fatalf("row error %v is not a MergedLinesError", res.rowErrs[0])
			}
			if m.First != tc.first || m.Last != tc.last || m.Line != tc.atLine || res.rowErrs[0].Line != tc.atLine ||
				res.rowErrs[0].Value != m.Range() || res.rowErrs[0].Column == 0 {
				t.Fatalf("merge %+v at %d:%d value %q, want lines %d-%d into %d", m, res.rowErrs[0].Line, res.rowErrs[0].Column,
					res.rowErrs[0].Value, tc.first, tc.last, tc.atLine)
			}
		})
	}
}

func TestOpenQuoteColumn(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{`C1,"Ana,x`, 2},
		{`C1,Ana,"a ""b"" c,d` + "\nmore", 3},
		{`C1,"Ana",x`, 0},
		{`"C1,Ana`, 1},
		{`C1,Ana,"ok","open`, 4},
		{`C1,An"a,x`, 0},
		{"", 0},
	}
	for _, tc := range tests {
		if got := openQuoteColumn(tc.text, ','); got != tc.want {
			t.Errorf("openQuoteColumn(%q) = %d, want %d", tc.text, got, tc.want)
		}
	}
}

// FuzzLineAccounting: whatever the quoting, every non-empty line after the
// header is a record's first line, a blank row, a continuation line or a
// merged line (comma-separated UTF-8 text without CR; anything else is
// covered by the table tests).
func FuzzLineAccounting(f *testing.F) {
	f.Add("C1,Ana,a@x.co,3001234567,nota\n")
	f.Add("C1,\"Ana,a@x.co,3001234567,nota\nC2,Luis,l@x.co,3001234568,x\n")
	f.Add("C1,Ana,a@x.co,3001234567,\"uno\ndos, tres\n\ncuatro\"\n,,,,\n\n")
	f.Add("C1,Ana,a@x.co,3001234567,\"a\"\"b\nC2,Luis\",l@x.co,3001234568,x,y\n")
	f.Add("C1,An\"a,a@x.co,3001234567,x\n\"C2,\"\"\n")
	f.Fuzz(func(t *testing.T, body string) {
		if strings.ContainsAny(body, "\r\x00") || !utf8.ValidString(body) || len(body) > 4096 {
			return
		}
		data := "id,nombre,email,celular,notas\n" + body
		p := writeFile(t, t.TempDir(), "clientes.csv", []byte(data))
		r, err := Open(p, Options{})
		if err != nil {
			return
		}
		defer r.Close()
		if r.Info().Delimiter != "," || r.Info().HeaderRow != 1 {
			return
		}
		records := 0
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			var re *RowError
			if err != nil && !errors.As(err, &re) {
				return // fatal: the file is not read to its end
			}
			records++
		}
		lines := 0
		for _, l := range strings.Split(body, "\n") {
			if l != "" {
				lines++
			}
		}
		info := r.Info()
		if got := records + info.BlankRows + info.ContinuationLines + info.MergedLines; got != lines {
			t.Fatalf("records %d + blank %d + continued %d + merged %d = %d, body has %d non-empty lines:\n%q",
				records, info.BlankRows, info.ContinuationLines, info.MergedLines, got, lines, body)
		}
	})
}
