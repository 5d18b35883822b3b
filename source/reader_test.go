package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"
)

// clientsCSV is a small clients file in the given delimiter and line end.
// Record 2 has a quoted multi-line note, so record 3 starts two lines later.
func clientsCSV(d, nl string, title bool) string {
	rows := []string{
		"id" + d + "nombre" + d + "telefono" + d + "email" + d + "direccion" + d + "notas",
		"1" + d + "José Pérez" + d + "300 123 4567" + d + "JOSE@X.CO" + d + "Calle 1 # 2-3" + d + "cliente antiguo",
		"2" + d + "Ana Muñoz" + d + "+57 601 2345678" + d + "ana@x.co" + d + "Cra 7" + d + "\"primera línea" + nl + "segunda línea\"",
		"3" + d + "Luis Gómez" + d + "3109876543" + d + "" + d + "Av. 68" + d + "-",
	}
	s := strings.Join(rows, nl) + nl
	if title {
		s = "OkVet - Clientes" + nl + "Exportado el 2024-05-01" + nl + s
	}
	return s
}

func TestReaderEncodingsAndDelimiters(t *testing.T) {
	type enc struct {
		name   string
		encode func(testing.TB, string) []byte
		want   string
	}
	encs := []enc{
		{"utf8", func(_ testing.TB, s string) []byte { return []byte(s) }, EncUTF8},
		{"utf8-bom", func(_ testing.TB, s string) []byte { return append([]byte("\xEF\xBB\xBF"), s...) }, EncUTF8BOM},
		{"utf16le-bom", func(t testing.TB, s string) []byte { return utf16(t, s, unicode.LittleEndian, true) }, EncUTF16LE},
		{"utf16be-bom", func(t testing.TB, s string) []byte { return utf16(t, s, unicode.BigEndian, true) }, EncUTF16BE},
		{"utf16le-nobom", func(t testing.TB, s string) []byte { return utf16(t, s, unicode.LittleEndian, false) }, EncUTF16LE},
		{"win1252", win1252, EncWindows1252},
	}
	delims := []struct{ d, name string }{{",", ","}, {";", ";"}, {"\t", "tab"}, {"|", "|"}}
	for _, e := range encs {
		for _, d := range delims {
			for _, nl := range []string{"\n", "\r\n"} {
				for _, title := range []bool{false, true} {
					name := fmt.Sprintf("%s/%s/crlf=%v/title=%v", e.name, d.name, nl == "\r\n", title)
					t.Run(name, func(t *testing.T) {
						p := writeFile(t, t.TempDir(), "clientes.csv", e.encode(t, clientsCSV(d.d, nl, title)))
						res, err := readAll(t, p, Options{})
						if err != nil {
							t.Fatal(err)
						}
						off := 0
						if title {
							off = 2
						}
						in := res.info
						if in.Encoding != e.want || in.Delimiter != d.name || in.HeaderRow != 1+off ||
							in.Profile != ProfileSeed || strings.Join(in.Types, ",") != "clients" {
							t.Fatalf("info = %+v", in)
						}
						if title != hasIssue(in.Issues, IssueTitleRows) {
							t.Errorf("title_rows issue = %v, want %v", !title, title)
						}
						if len(res.rowErrs) != 0 || len(res.records) != 3 {
							t.Fatalf("records %d, row errors %v", len(res.records), res.rowErrs)
						}
						wantLines := []int{2 + off, 3 + off, 5 + off}
						for i, rec := range res.records {
							if rec.Line != wantLines[i] {
								t.Errorf("record %d line %d, want %d", i, rec.Line, wantLines[i])
							}
						}
						r1, r2, r3 := res.records[0], res.records[1], res.records[2]
						if got := r1.Values["nombre"].Text; got != "José Pérez" {
							t.Errorf("nombre = %q", got)
						}
						if got := r1.Values["email"].Text; got != "jose@x.co" {
							t.Errorf("email = %q", got)
						}
						if got := r2.Values["telefono"].Text; got != "+576012345678" {
							t.Errorf("telefono = %q", got)
						}
						if got := r2.Values["notas"].Text; got != "primera línea\nsegunda línea" {
							t.Errorf("multi-line notas = %q", got)
						}
						if !strings.Contains(r2.RawText, "segunda línea") || !strings.HasPrefix(r2.RawText, "2"+d.d) {
							t.Errorf("raw text = %q", r2.RawText)
						}
						if !hasIssue(r3.Issues, IssuePlaceholder) || r3.Values["notas"].Valid {
							t.Errorf("placeholder not reported: %+v", r3.Issues)
						}
					})
				}
			}
		}
	}
}

func TestReaderBadInputs(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	tests := []struct {
		name    string
		file    string
		data    []byte
		wantErr error  // from Open (or a fatal Next)
		errText string // substring of the error
		// without an Open error:
		records  int
		rowErrs  []string // RowError texts (substrings), in order
		issue    string   // a file-level issue type expected in Info
		recIssue string   // an issue type expected on some record
		blank    int
		opts     Options
	}{
		{name: "empty", file: "clientes.csv", data: nil, wantErr: ErrEmpty},
		{name: "only blank lines", file: "clientes.csv", data: []byte("\n\r\n\n"), wantErr: ErrEmpty},
		{name: "binary", file: "clientes.csv", data: []byte("\x00\x01\x02PNG\x00\x00binary"), wantErr: ErrBinary},
		{name: "control bytes", file: "clientes.csv", data: bytes.Repeat([]byte{1, 2, 3, 'a'}, 100), wantErr: ErrBinary},
		{name: "legacy xls", file: "clientes.xls", data: []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), wantErr: ErrLegacyXLS},
		{name: "truncated xlsx", file: "clientes.xlsx", data: []byte("PK\x03\x04\x14\x00\x00\x00truncated"), wantErr: ErrCorruptXLSX},
		{name: "header only", file: "clientes.csv", data: []byte("id,nombre,email\n"), issue: IssueHeaderOnly},
		{name: "header only with blank rows", file: "clientes.csv", data: []byte("id;nombre;email\r\n;;\r\n"), issue: IssueHeaderOnly, blank: 1},
		{name: "unknown headers", file: "datos.csv", data: []byte("foo,bar,baz\n1,2,3\n"), wantErr: ErrUnrecognized, errText: "first row: foo,bar,baz"},
		{name: "ambiguous", file: "datos.csv", data: []byte("id,nombre\n1,x\n"), wantErr: ErrAmbiguous, errText: "clients, products"},
		{name: "missing required reference", file: "datos.csv", data: []byte("id,nombre,especie,raza\n1,Max,Canino,Criollo\n"),
			wantErr: ErrMissing, errText: "id_cliente (or owner_id, id_propietario)"},
		{name: "duplicated header", file: "clientes.csv", data: []byte("id,nombre,Email,telefono,e-mail,EMAIL\n1,a,b,c,d,e\n"),
			wantErr: ErrDuplicate, errText: `clientes.csv:1: duplicated header "EMAIL" in columns 3 ("Email") and 6 ("EMAIL")`},
		{name: "ragged rows", file: "clientes.csv",
			data:    []byte("id,nombre,email\n1,a,a@x.co\n2,b\n3,c,c@x.co,extra\n4,d,d@x.co,,\n5,e,e@x.co\n"),
			records: 5, rowErrs: []string{"clientes.csv:3:3: wrong number of fields: 2, the header has 3", "clientes.csv:4:4: wrong number of fields: 4"}},
		{name: "bare quote read as a character", file: "clientes.csv", data: []byte("id,nombre,notas\n1,a,\"ok\"\n2,b,5\" pulgadas\n3,c,fin\n"),
			records: 3, recIssue: IssueBareQuote},
		{name: "bare quotes beside a quoted cell", file: "clientes.csv",
			data:    []byte("id,nombre,notas\n1,Collar 14\",\"37°36'37.8\"\"N, \"\"bien\"\"\"\n2,b,c\n"),
			records: 2, recIssue: IssueBareQuote},
		{name: "bare quote and a broken quoted cell", file: "clientes.csv",
			data:    []byte("id,nombre,notas\n1,Collar 14\",\"abierta\"x\n2,b,c\n"),
			records: 2, rowErrs: []string{"clientes.csv:2:12: bare \" in non-quoted-field"}},
		{name: "text after a closing quote stays an error", file: "clientes.csv", data: []byte("id,nombre,notas\n1,\"a\"b,c\n2,b,c\n"),
			records: 2, rowErrs: []string{"clientes.csv:2:5: extraneous or missing"}},
		{name: "too many columns", file: "clientes.csv", data: []byte("id,nombre" + strings.Repeat(",x", 20) + "\n1,a\n"),
			opts: Options{Limits: Limits{Columns: 10}}, wantErr: ErrLimit, errText: "clientes.csv: line 1 has more than 10 columns (--max-columns 10)"},
		{name: "wide rows past the header search are the line limit's", file: "clientes.csv",
			data: []byte("id,nombre\n" + strings.Repeat("1,a\n", headerScan) + "1,a" + strings.Repeat(",", 20) + "\n"),
			opts: Options{Limits: Limits{Columns: 10}}, records: headerScan + 1},
		{name: "line too long", file: "clientes.csv", data: []byte("id,nombre\n1,a\n2," + strings.Repeat("b", 200) + "\n"),
			opts: Options{Limits: Limits{LineBytes: 100}}, wantErr: ErrLimit, errText: "clientes.csv: line 3 is longer than 100 bytes (--max-line-bytes 100); raise it with --max-line-bytes"},
		{name: "a quote left open runs past the row limit", file: "clientes.csv",
			data: []byte("id,nombre\n1,\"a\n" + strings.Repeat("b\n", 100_000)),
			opts: Options{Limits: Limits{LineBytes: 1000}}, wantErr: ErrLimit, errText: "(a quote left open?) (--max-line-bytes 1000)"},
		{name: "cell too big", file: "clientes.csv", data: []byte("id,nombre,notas\n1,a," + strings.Repeat("c", 50) + "\n2,b,c\n"),
			opts: Options{Limits: Limits{CellBytes: 40}}, records: 2, rowErrs: []string{"clientes.csv:2:3: line 2 has a cell of 50 bytes, more than 40 (--max-cell-bytes 40)"}},
		{name: "unterminated quote", file: "clientes.csv", data: []byte("id,nombre,notas\n1,a,ok\n2,b,\"never closed\n3,c,x\n"),
			records: 2, rowErrs: []string{"clientes.csv:3:"}},
		{name: "NUL byte on line 2", file: "clientes.csv", data: []byte("id,nombre,notas\n1,Jo\x00se,ok\n2,b,c\n"),
			records: 2, rowErrs: []string{`clientes.csv:2:2: nombre "Jo\\0se": NUL byte in the cell`}},
		{name: "NUL byte past the sniff window", file: "clientes.csv",
			data:    []byte("id,nombre,notas\n" + strings.Repeat("1,a,b\n", 20000) + "9,z,no\x00ta\n"),
			records: 20001, rowErrs: []string{`clientes.csv:20002:3: notas "no\\0ta": NUL byte in the cell`}},
		{name: "1 MB cell", file: "clientes.csv", data: []byte("id,nombre,notas\n1,a," + big + "\n2,b,c\n"), records: 2},
		{name: "invalid bytes after the sniff window", file: "clientes.csv",
			data:    []byte("id,nombre,notas\n1,a," + strings.Repeat("y", 70000) + "\n2,Mu\xF1oz,ok\n"),
			records: 2, recIssue: IssueInvalidEncoding},
		{name: "blank rows are counted", file: "clientes.csv", data: []byte("id;nombre\r\n1;a\r\n;\r\n ; \r\n2;b\r\n"), records: 2, blank: 2},
		{name: "unnamed column with a value", file: "clientes.csv", data: []byte("id,nombre,,\n1,a,,\n2,b,oops,\n"), records: 2, recIssue: IssueUnnamedColumnValue},
		{name: "xlsx named csv", file: "clientes.csv",
			data:  xlsxBytes(t, sheet{name: "Hoja1", rows: [][]any{{"id", "nombre"}, {"1", "Ana"}}}),
			issue: IssueContentMismatch, records: 1},
		{name: "csv named xlsx", file: "clientes.xlsx", data: []byte("id,nombre\n1,Ana\n"), issue: IssueContentMismatch, records: 1},
		{name: "unknown profile", file: "clientes.csv", data: []byte("id,nombre\n1,a\n"), errText: "unknown profile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), tt.file, tt.data)
			opts := tt.opts
			if tt.name == "unknown profile" {
				opts.Profile = "nope"
			}
			res, err := readAll(t, p, opts)
			if tt.wantErr != nil || tt.errText != "" {
				if err == nil {
					t.Fatalf("no error; info %+v", res.info)
				}
				if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Fatalf("error %v, want %v", err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.errText) {
					t.Fatalf("error %q lacks %q", err, tt.errText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.records) != tt.records {
				t.Errorf("%d records, want %d", len(res.records), tt.records)
			}
			if len(res.rowErrs) != len(tt.rowErrs) {
				t.Fatalf("row errors %v, want %v", res.rowErrs, tt.rowErrs)
			}
			for i, re := range res.rowErrs {
				if !strings.Contains(re.Error(), tt.rowErrs[i]) {
					t.Errorf("row error %q lacks %q", re, tt.rowErrs[i])
				}
				if re.Line == 0 {
					t.Errorf("row error without line: %v", re)
				}
			}
			if tt.issue != "" && !hasIssue(res.info.Issues, tt.issue) {
				t.Errorf("file issues %+v lack %s", res.info.Issues, tt.issue)
			}
			if tt.recIssue != "" {
				found := false
				for _, r := range res.records {
					found = found || hasIssue(r.Issues, tt.recIssue)
				}
				if !found {
					t.Errorf("no record has issue %s", tt.recIssue)
				}
			}
			if res.info.BlankRows != tt.blank {
				t.Errorf("blank rows %d, want %d", res.info.BlankRows, tt.blank)
			}
			for _, r := range res.records {
				if r.Line == 0 || r.File != p {
					t.Errorf("record without position: %+v", r)
				}
			}
		})
	}
}

func TestReaderRepairsInvalidBytes(t *testing.T) {
	p := writeFile(t, t.TempDir(), "clientes.csv", []byte("id,nombre,notas\n1,José,ok\n2,Mu\xF1oz,ok\n"))
	res, err := readAll(t, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.info.Encoding != EncUTF8 {
		t.Fatalf("encoding %s", res.info.Encoding)
	}
	r := res.records[1]
	if r.Values["nombre"].Text != "Muñoz" || !strings.Contains(r.RawText, "Muñoz") {
		t.Errorf("not repaired: %q / %q", r.Values["nombre"].Text, r.RawText)
	}
	if !hasIssue(r.Issues, IssueInvalidEncoding) || r.Issues[0].Column != 2 || r.Issues[0].Field != "nombre" {
		t.Errorf("issues %+v", r.Issues)
	}
}

func TestRowErrorFormat(t *testing.T) {
	e := &RowError{File: "clientes.csv", Line: 12, Column: 5, Field: "email", Value: "juan@@x", Err: errors.New("invalid email")}
	if got := e.Error(); got != `clientes.csv:12:5: email "juan@@x": invalid email` {
		t.Errorf("got %q", got)
	}
	if got := (&RowError{File: "a.csv", Line: 3, Err: ErrFieldCount}).Error(); got != "a.csv:3: wrong number of fields" {
		t.Errorf("got %q", got)
	}
	if !errors.Is(e, e.Err) {
		t.Error("Unwrap")
	}
	long := (&RowError{File: "a", Line: 1, Field: "f", Value: strings.Repeat("é", 500), Err: ErrFieldCount}).Error()
	if len([]rune(long)) > 120 {
		t.Errorf("value not clipped: %d runes", len([]rune(long)))
	}
	rec := Record{File: "c.csv", Line: 4}
	if got := rec.IssueError(Issue{Field: "email", Value: "x", Column: 2, Message: "invalid email"}).Error(); got != `c.csv:4:2: email "x": invalid email` {
		t.Errorf("IssueError = %q", got)
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open("/nonexistent/clientes.csv", Options{}); err == nil {
		t.Error("missing file opened")
	}
	if _, err := Open(t.TempDir(), Options{}); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("directory: %v", err)
	}
	p := writeFile(t, t.TempDir(), "clientes.csv", []byte("id,nombre\n1,a\n"))
	if _, err := Open(p, Options{Type: "nope"}); err == nil || !strings.Contains(err.Error(), "unknown type") {
		t.Errorf("unknown type: %v", err)
	}
	r, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal("second close:", err)
	}
	if _, err := r.Next(); err == nil {
		t.Error("Next after Close")
	}
}

func TestDelimiterSniffing(t *testing.T) {
	tests := []struct {
		text string
		want rune
	}{
		{"a,b,c\n1,2,3\n", ','},
		{"a;b;c\n1;2,5;3\n4;5,25;6\n", ';'}, // decimal commas do not fool it
		{"a\tb\n1\t2\n", '\t'},
		{"a|b|c\n1|2|3\n", '|'},
		{"Título\n\na;b\n1;2\n", ';'},        // title rows ignored
		{"a;b\n\"x;y\n;z\";2\n3;4\n", ';'},   // quoted separators and line breaks
		{"solo\nuna\ncolumna\n", ','},        // nothing to choose: comma
		{"a,b;c,d\n1,2;3,4\n5,6;7,8\n", ','}, // equal counts: the wider split wins
	}
	for _, tt := range tests {
		if got := sniffDelimiter([]byte(tt.text), true); got != tt.want {
			t.Errorf("sniffDelimiter(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestSniffFormat(t *testing.T) {
	long := bytes.Repeat([]byte("a"), sniffSize-1)
	tests := []struct {
		name    string
		data    []byte
		format  string
		enc     string
		wantErr error
	}{
		{"utf8", []byte("a,b\n"), FormatCSV, EncUTF8, nil},
		{"utf8 cut mid-rune at the window end", append(long, 0xC3), FormatCSV, EncUTF8, nil},
		{"latin1", []byte("a,Mu\xF1oz\n"), FormatCSV, EncWindows1252, nil},
		{"mostly utf8", []byte("José,Muñoz,Peña,Mu\xF1oz\n"), FormatCSV, EncUTF8, nil},
		{"utf16be no bom", utf16(t, "id,nombre\n", unicode.BigEndian, false), FormatCSV, EncUTF16BE, nil},
		{"zip", []byte("PK\x03\x04rest"), FormatXLSX, "", nil},
		{"utf32", []byte("\xFF\xFE\x00\x00a\x00\x00\x00"), "", "", ErrBinary},
	}
	for _, tt := range tests {
		f, e, err := sniffFormat(tt.data)
		if f != tt.format || e != tt.enc || !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: sniffFormat = %q, %q, %v; want %q, %q, %v", tt.name, f, e, err, tt.format, tt.enc, tt.wantErr)
		}
	}
}

func TestCROnlyLineEndings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mascotas.csv")
	content := "id,id_cliente,nombre\rP1,C1,Luna\rP2,C1,Max\r"
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var names []string
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, rec.Values["nombre"].Text+"@"+strconv.Itoa(rec.Line))
	}
	if strings.Join(names, ",") != "Luna@2,Max@3" {
		t.Fatalf("records %v", names)
	}
}
