package source

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Every non-empty column is mapped, declared not migrated, or unaccounted
// (a finding); two columns competing for one field are never a silent choice.
func TestColumnAccounting(t *testing.T) {
	dir := t.TempDir()
	mapping := func(text string) *Mapping {
		p := filepath.Join(dir, "m.toml")
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := LoadMapping(p)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	tests := []struct {
		name, file, data string
		mapping          string
		want             map[string]string // header -> status
		unaccounted      string            // "header:filled:sample", "" for none
		kept             map[string]string // Raw of the first record: key -> value
	}{
		{name: "renamed diagnosis", file: "historia_clinica.csv",
			data:        "id,id_paciente,fecha,Diagnóstico definitivo\nM1,P1,2024-01-02,otitis\nM2,P1,2024-01-03,\nM3,P1,2024-01-04,gastritis\n",
			want:        map[string]string{"id": ColumnMapped, "Diagnóstico definitivo": ColumnNotMigrated},
			unaccounted: "Diagnóstico definitivo:2:otitis"},
		{name: "two columns for notes", file: "clientes.csv",
			data:        "id,nombre,notas,observaciones\nC1,Ana,vip,llamar tarde\n",
			want:        map[string]string{"notas": ColumnMapped, "observaciones": ColumnConflict},
			unaccounted: "observaciones:1:llamar tarde"},
		{name: "declared per type", file: "clientes.csv", mapping: "[ignore]\nclients = [\"Código interno\", \"observaciones\"]\n",
			data: "id,nombre,notas,observaciones,codigo_interno\nC1,Ana,vip,llamar tarde,X-9\n",
			want: map[string]string{"observaciones": ColumnIgnored, "codigo_interno": ColumnIgnored},
			kept: map[string]string{"observaciones": "llamar tarde", "codigo_interno": "X-9", "notas": "vip"}},
		{name: "declared per file", file: "clientes.csv", mapping: "[[file]]\nname = \"clientes*.csv\"\nignore = [\"extra\"]\n",
			data: "id,nombre,extra\nC1,Ana,1\n",
			want: map[string]string{"extra": ColumnIgnored}, kept: map[string]string{"extra": "1"}},
		{name: "empty unknown column", file: "clientes.csv", data: "id,nombre,vacía\nC1,Ana,\n",
			want: map[string]string{"vacía": ColumnEmpty}},
		{name: "value without header", file: "clientes.csv", data: "id,nombre,\nC1,Ana,x\n",
			want: map[string]string{"": ColumnNotMigrated}, unaccounted: ":1:x"},
		{name: "soft delete marker", file: "owners.csv", data: "id,name,deleted_at\nC1,Ana,2024-01-01\n",
			want: map[string]string{"deleted_at": ColumnSoftDelete}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), tt.file, []byte(tt.data))
			var m *Mapping
			if tt.mapping != "" {
				m = mapping(tt.mapping)
			}
			res, err := readAll(t, p, Options{Mapping: m})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range res.info.Columns {
				if want, ok := tt.want[c.Header]; ok && c.Status != want {
					t.Errorf("column %q: status %q, want %q", c.Header, c.Status, want)
				}
			}
			var got []string
			for _, c := range res.info.Unaccounted() {
				got = append(got, c.Header+":"+strconv.Itoa(c.Filled)+":"+c.Sample)
			}
			if strings.Join(got, ";") != tt.unaccounted {
				t.Errorf("unaccounted %q, want %q", got, tt.unaccounted)
			}
			for k, v := range tt.kept {
				if res.records[0].Raw[k] != v {
					t.Errorf("Raw[%q] = %q, want %q (raw %v)", k, res.records[0].Raw[k], v, res.records[0].Raw)
				}
			}
		})
	}
}

func TestColumnConflictNamesTheWinner(t *testing.T) {
	p := writeFile(t, t.TempDir(), "clientes.csv", []byte("id,observaciones,notas\nC1,a,b\n"))
	res, err := readAll(t, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	u := res.info.Unaccounted()
	if len(u) != 1 || u[0].Header != "observaciones" || u[0].Competes != "notas" || u[0].CompetesWith != "notas" {
		t.Fatalf("unaccounted %+v", u)
	}
}

func TestMappingIgnoreChecked(t *testing.T) {
	p := writeFile(t, t.TempDir(), "m.toml", []byte("[ignore]\nmascotas = [\"x\"]\nclients = [\"\"]\n"))
	_, err := LoadMapping(p)
	if err == nil || !strings.Contains(err.Error(), "ignore.mascotas: unknown type") || !strings.Contains(err.Error(), `ignore.clients: empty header ""`) {
		t.Fatalf("err = %v", err)
	}
}
