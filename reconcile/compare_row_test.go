package reconcile

import (
	"testing"
	"time"

	"github.com/petfriendly/recon/source"
)

// TestCompareRow checks the pure comparison of one row: what it finds for
// a row, its destination row, the corrections and the parents' ids, with
// no database.
func TestCompareRow(t *testing.T) {
	pets, _ := source.TypeByName("pets")
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	corr := func(field, value string) map[CorrectionKey]Correction {
		return map[CorrectionKey]Correction{{"pets", "P1", field}: {New: value, By: "ana", At: at}}
	}
	raw := map[string]string{"id": "P1", "id_cliente": "C1", "nombre": "Luna", "especie": "Canino"}
	parents := map[string]map[string]int64{"client": {"C1": 10}}
	tests := []struct {
		name       string
		dest       map[string]string
		parent     int64
		corrected  map[CorrectionKey]Correction
		byID       bool
		mismatches []string // fields
		findings   []string // codes
		changed    bool
		link       parentLink
	}{
		{"equal", map[string]string{"nombre": "Luna", "especie": "dog"}, 10, nil, false, nil, nil, false,
			parentLink{ref: "C1", want: 10, got: 10, mapped: true}},
		{"renamed", map[string]string{"nombre": "Lola", "especie": "dog"}, 10, nil, false, []string{"nombre"}, nil, false,
			parentLink{ref: "C1", want: 10, got: 10, mapped: true}},
		{"renamed in a changed file", map[string]string{"nombre": "Lola", "especie": "dog"}, 10, nil, true, []string{"nombre"}, nil, true,
			parentLink{ref: "C1", want: 10, got: 10, mapped: true}},
		{"renamed by a correction", map[string]string{"nombre": "Lola", "especie": "dog"}, 10, corr("nombre", "Lola"), false, nil, nil, false,
			parentLink{ref: "C1", want: 10, got: 10, mapped: true}},
		{"correction overwritten", map[string]string{"nombre": "Luna", "especie": "dog"}, 10, corr("nombre", "Lola"), false, nil,
			[]string{CodeCorrectionLost}, false, parentLink{ref: "C1", want: 10, got: 10, mapped: true}},
		{"other parent", map[string]string{"nombre": "Luna", "especie": "dog"}, 11, nil, false, nil, nil, false,
			parentLink{ref: "C1", want: 10, got: 11, mapped: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := record(pets, raw)
			d := Dest{SourceID: "P1", Exists: true, Target: 5, Fields: tt.dest, Parents: map[string]int64{"id_cliente": tt.parent}}
			out := compareRow(rowInput{t: pets, fields: ComparedFields(pets), parentCols: parentColumns(pets), rec: rec, dest: d,
				corrected: tt.corrected, parents: parents, byID: tt.byID})
			var mis, codes []string
			for _, m := range out.mismatches {
				mis = append(mis, m.Field)
			}
			for _, f := range out.findings {
				codes = append(codes, f.Code)
			}
			if !equalStrings(mis, tt.mismatches) || !equalStrings(codes, tt.findings) || out.changed != tt.changed {
				t.Errorf("mismatches %v findings %v changed %v; want %v %v %v", mis, codes, out.changed, tt.mismatches, tt.findings, tt.changed)
			}
			if len(out.links) != 1 || out.links[0] != tt.link {
				t.Errorf("links %+v, want [%+v]", out.links, tt.link)
			}
			if len(out.checks) != len(ComparedFields(pets)) {
				t.Errorf("%d checks for %d compared fields", len(out.checks), len(ComparedFields(pets)))
			}
		})
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
