package reconcile

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/source"
)

// benchRows builds n source.Normalize'd records of a type from raw rows,
// and the destination row the importer would have written for each: the
// canonical values, numbers with the column's scale (so some compare by
// value), and every 50th row with a changed name (a mismatch).
func benchRows(typ string, n int) (source.Type, []source.Record, []Dest) {
	t, _ := source.TypeByName(typ)
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	recs := make([]source.Record, 0, n)
	dests := make([]Dest, 0, n)
	for i := range n {
		var raw map[string]string
		switch typ {
		case "clients":
			raw = map[string]string{"id": fmt.Sprintf("C%05d", i), "nombre": fmt.Sprintf("JOSÉ  PÉREZ %d", i), "tipo_documento": "CC",
				"documento": fmt.Sprintf("1.0%08d", i), "telefono": fmt.Sprintf("601 234 %04d", i%10000),
				"celular": fmt.Sprintf("+57 300 %07d", i), "email": fmt.Sprintf("Jose%d@Correo.co", i), "direccion": "Calle 1 # 4-5",
				"ciudad": "Bogotá", "notas": "nota\nlarga", "fecha_registro": "03/04/2021", "autorizacion_datos": "Sí"}
		case "pets":
			raw = map[string]string{"id": fmt.Sprintf("P%05d", i), "id_cliente": fmt.Sprintf("C%05d", i/2), "nombre": "Luna",
				"especie": "Canino", "raza": "Criollo", "sexo": "Hembra", "fecha_nacimiento": "2019-07-20",
				"peso": fmt.Sprintf("%d,5", i%40), "color": "Café", "microchip": "", "esterilizado": "si", "fallecido": "No",
				"notas": "Agresivo, usar bozal"}
		default: // medical
			raw = map[string]string{"id": fmt.Sprintf("H%06d", i), "id_paciente": fmt.Sprintf("P%05d", i/5), "fecha": "02/05/2023",
				"tipo": "Control", "descripcion": "Pérdida de pelo en zona lumbar.\nPulgas y garrapatas presentes",
				"diagnostico": "Enfermedad periodontal", "tratamiento": "Cirugía programada", "notas": "", "id_veterinario": "VET04"}
		}
		vals, issues := source.Normalize(t, raw, nil, now)
		rec := source.Record{Type: t.Name, SourceID: raw["id"], Raw: raw, Values: vals, Issues: issues}
		d := Dest{SourceID: rec.SourceID, Exists: true, Fields: map[string]string{}, Parents: map[string]int64{}}
		for _, f := range ComparedFields(t) {
			v := vals[f.Name]
			text := v.Text
			if !v.Valid {
				text = fieldDefault(f.Kind)
			}
			if f.Kind == source.KindWeight && strings.Contains(text, ".") {
				text += "00" // numeric(8,3) gives "12.500"
			}
			d.Fields[f.Name] = text
		}
		if i%50 == 0 {
			d.Fields["nombre"] = "Otro"
		}
		recs, dests = append(recs, rec), append(dests, d)
	}
	return t, recs, dests
}

// BenchmarkCompareRecord measures the pure reconcile core: one source
// record against its destination row, every compared field.
func BenchmarkCompareRecord(b *testing.B) {
	for _, typ := range []string{"clients", "pets", "medical"} {
		t, recs, dests := benchRows(typ, 1000)
		b.Run(typ, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				for i := range recs {
					if len(CompareRecord(t, recs[i], dests[i])) == 0 {
						b.Fatal("no checks")
					}
				}
				n += len(recs)
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// TestBenchRowsMatch keeps the benchmark honest: its destination rows
// match their records except the planted renames.
func TestBenchRowsMatch(t *testing.T) {
	for _, typ := range []string{"clients", "pets", "medical"} {
		tt, recs, dests := benchRows(typ, 100)
		bad := 0
		for i := range recs {
			for _, c := range CompareRecord(tt, recs[i], dests[i]) {
				if !c.Match && !c.Explained {
					bad++
					if c.Field != "nombre" {
						t.Errorf("%s %s: %s differs: %q vs %q", typ, recs[i].SourceID, c.Field, c.Normalised, c.Destination)
					}
				}
			}
		}
		if typ != "medical" && bad != 2 {
			t.Errorf("%s: %d mismatches, want the 2 planted", typ, bad)
		}
	}
}
