package source

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every sheet of a workbook is considered: sheets of one type are a split
// export, a hidden sheet is read only when the mapping file names it, and
// other sheets are listed.
func TestWorkbookSheets(t *testing.T) {
	clients := func(name string, hidden bool, ids ...string) sheet {
		s := sheet{name: name, hidden: hidden, rows: [][]any{{"id", "nombre"}}}
		for _, id := range ids {
			s.rows = append(s.rows, []any{id, "Cliente " + id})
		}
		return s
	}
	notes := sheet{name: "Notas", rows: [][]any{{"Exportado por OkVet"}, {"ver anexos"}}}
	tests := []struct {
		name    string
		sheets  []sheet
		opts    Options
		mapping string
		ids     string // source ids read, in order
		lines   string // their lines
		status  string // sheet:status, in workbook order
		err     error
	}{
		{name: "split export", sheets: []sheet{clients("Clientes", false, "C1", "C2"), clients("Clientes (2)", false, "C3")},
			ids: "C1,C2,C3", lines: "2,3,5", status: "Clientes:read,Clientes (2):read"},
		{name: "hidden stale sheet", sheets: []sheet{clients("Viejos", true, "OLD1"), clients("Clientes", false, "C1")},
			ids: "C1", lines: "2", status: "Viejos:hidden,Clientes:read"},
		{name: "hidden sheet named in the mapping file", sheets: []sheet{clients("Clientes", false, "C1"), clients("Viejos", true, "OLD1")},
			mapping: "[[file]]\nname = \"clientes.xlsx\"\nsheets = [\"viejos\"]\n",
			ids:     "C1,OLD1", lines: "2,4", status: "Clientes:read,Viejos:read"},
		{name: "unrecognised sheet listed", sheets: []sheet{notes, clients("Clientes", false, "C1")},
			ids: "C1", lines: "2", status: "Notas:unrecognised,Clientes:read"},
		{name: "other type not read for a type", opts: Options{Type: "clients"},
			sheets: []sheet{clients("Clientes", false, "C1"), {name: "Mascotas", rows: [][]any{{"id", "id_cliente", "nombre"}, {"P1", "C1", "Firulais"}}}},
			ids:    "C1", lines: "2", status: "Clientes:read,Mascotas:other_type"},
		{name: "a visible sheet nearly holding a type fails the file",
			sheets: []sheet{clients("Clientes", false, "C1"), {name: "Clientes (2)", rows: [][]any{{"nombre", "email", "celular"}, {"Ana", "a@x.co", "3001234567"}}}},
			err:    ErrMissing},
		{name: "a hidden sheet nearly holding a type is listed",
			sheets: []sheet{clients("Clientes", false, "C1"), {name: "Viejos", hidden: true, rows: [][]any{{"nombre", "email", "celular"}, {"Ana", "a@x.co", "3001234567"}}}},
			ids:    "C1", lines: "2", status: "Clientes:read,Viejos:unrecognised"},
		{name: "only a hidden sheet holds data", sheets: []sheet{{name: "Hoja1"}, clients("Clientes", true, "C1")},
			err: ErrUnrecognized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := writeFile(t, dir, "clientes.xlsx", xlsxBytes(t, tt.sheets...))
			opts := tt.opts
			if tt.mapping != "" {
				mp := filepath.Join(dir, "m.toml")
				if err := os.WriteFile(mp, []byte(tt.mapping), 0o644); err != nil {
					t.Fatal(err)
				}
				m, err := LoadMapping(mp)
				if err != nil {
					t.Fatal(err)
				}
				opts.Mapping = m
			}
			res, err := readAll(t, p, opts)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids, lines, status []string
			for _, r := range res.records {
				ids, lines = append(ids, r.SourceID), append(lines, fmt.Sprint(r.Line))
			}
			for _, s := range res.info.Sheets {
				status = append(status, s.Name+":"+s.Status)
			}
			if got := strings.Join(ids, ","); got != tt.ids {
				t.Errorf("ids %s, want %s", got, tt.ids)
			}
			if got := strings.Join(lines, ","); got != tt.lines {
				t.Errorf("lines %s, want %s", got, tt.lines)
			}
			if got := strings.Join(status, ","); got != tt.status {
				t.Errorf("sheets %s, want %s", got, tt.status)
			}
		})
	}
}
