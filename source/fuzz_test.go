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
)

// readFuzz reads data as an export named name and checks the invariants
// that must hold for any input: no panic, every record and every row error
// positioned, and the reader ending.
func readFuzz(t *testing.T, name string, data []byte) {
	r, err := newReader(name, bytes.NewReader(data), nil, Options{Now: fixedNow})
	if err != nil {
		if err.Error() == "" {
			t.Fatal("empty error message")
		}
		return
	}
	defer r.Close()
	for i := 0; ; i++ {
		if i > len(data)+10 { // every record consumes at least one byte
			t.Fatalf("reader does not end after %d records", i)
		}
		rec, err := r.Next()
		if err == io.EOF {
			return
		}
		var re *RowError
		if errors.As(err, &re) {
			if re.Line <= 0 || re.File != name {
				t.Fatalf("row error without position: %#v", re)
			}
		} else if err != nil {
			return // fatal read error: reported, not a panic
		}
		if rec.Line <= 0 || rec.File != name || rec.Type == "" {
			t.Fatalf("record without position or type: %+v", rec)
		}
	}
}

func FuzzCSVReader(f *testing.F) {
	for _, s := range []string{
		clientsCSV(",", "\n", false),
		clientsCSV(";", "\r\n", true),
		clientsCSV("\t", "\n", true),
		"id,id_cliente,nombre,especie\n1,2,Max,Canino\n2,,\"Lu\nna\",Felino\n",
		"OkVet - Mascotas\nNombre;Especie;Nombres;TIdent;Ident.;Celular\nMax;Canino;Ana;CC;123;3001234567\n",
		"id,nombre,email\n1,a\n2,b,c,d\n3,\"x\"y,z\n",
		"id,name,deleted_at,updated_at\n1,a,2020-01-01,\n",
		"\xEF\xBB\xBFid;nombre\r\n1;Mu\xF1oz\r\n",
		"\xFF\xFEi\x00d\x00,\x00n\x00o\x00m\x00b\x00r\x00e\x00\n\x001\x00,\x00a\x00\n\x00",
		"",
		"\"",
		"id,nombre,id\n1,2,3\n",
	} {
		f.Add([]byte(s))
	}
	addFixtures(f, ".csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		readFuzz(t, "fuzz.csv", data)
	})
}

func FuzzXLSXReader(f *testing.F) {
	whole := xlsxBytes(f, mascotasSheet())
	f.Add(whole)
	f.Add(whole[:len(whole)/2])
	f.Add(xlsxBytes(f, sheet{name: "clientes", rows: [][]any{{"id", "nombre", "email"}, {1, "Ana", "mailto:a@x.co"}, nil, {2, "Luis", "", "x"}}}))
	f.Add(xlsxBytes(f, sheet{name: "owners", rows: [][]any{{"id", "name", "deleted_at"}, {1, "a", ""}, {2, "b", "2020-01-01"}}}))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	addFixtures(f, ".xlsx")
	f.Fuzz(func(t *testing.T, data []byte) {
		readFuzz(t, "fuzz.xlsx", data)
	})
}

// addFixtures seeds a fuzz target with the committed inspect fixtures.
func addFixtures(f *testing.F, ext string) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "source", "inspect", "*", "*"+ext))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil && len(data) < 1<<20 {
			f.Add(data)
		}
	}
}

// BenchmarkReadNormalize measures read + normalise throughput on generated
// ~10k-row files: a seed clients CSV and a Mascotas report CSV (two
// records per row for new owners).
func BenchmarkReadNormalize(b *testing.B) {
	dir := b.TempDir()
	const rows = 10000
	var clients, mascotas strings.Builder
	clients.WriteString("id;nombre;tipo_documento;documento;telefono;celular;email;direccion;ciudad;notas;fecha_registro;autorizacion_datos\r\n")
	mascotas.WriteString("OkVet - Mascotas\r\n")
	for i, h := range mascotasHeader() {
		if i > 0 {
			mascotas.WriteString(";")
		}
		mascotas.WriteString(h.(string))
	}
	mascotas.WriteString("\r\n")
	for i := range rows {
		fmt.Fprintf(&clients, "%d;JOSÉ  PÉREZ %d;CC;1.0%08d;601 234 %04d;+57 300 %07d;Jose%d@Correo.co;Calle %d # 4-5;Bogotá;\"nota\r\nlarga\";%02d/%02d/2021 10:%02d;Sí\r\n",
			i+1, i, i, i%10000, i, i, i, i%28+1, i%12+1, i%60)
		fmt.Fprintf(&mascotas, "Mascota %d;Canino;Criollo(a);%d,5 Kilogramos;Macho;Esterilizado;%02d/%02d/2019;Café;;Dueño %d;CC;1.0%08d;d%d@x.co;300%07d;;Calle %d;;;2020-01-15;;Sí\r\n",
			i, i%40, i%28+1, i%12+1, i/2, i/2, i/2, i/2, i)
	}
	for _, c := range []struct{ name, file, data string }{
		{"clientes", "clientes.csv", clients.String()},
		{"mascotas", "mascotas.csv", mascotas.String()},
	} {
		p := writeFile(b, dir, c.file, []byte(c.data))
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				r, err := Open(p, Options{Now: fixedNow})
				if err != nil {
					b.Fatal(err)
				}
				for {
					_, err := r.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				r.Close()
				n += rows
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// FuzzShift1904 checks the 1904 date-serial shift never panics and either
// leaves the text alone or moves a number by exactly 1,462 days.
func FuzzShift1904(f *testing.F) {
	for _, s := range []string{"", "43845", "43845.5", "1", "abc", "1,5", "1e5", ".", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := shift1904(s)
		if out == s {
			return
		}
		in, err1 := strconv.ParseFloat(s, 64)
		got, err2 := strconv.ParseFloat(out, 64)
		if err1 != nil || err2 != nil || got != in+days1904 {
			t.Fatalf("shift1904(%q) = %q", s, out)
		}
	})
}
