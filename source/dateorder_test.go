package source

import (
	"strings"
	"testing"
)

// The date order is decided per file from all its dates, before the
// first record.
func TestDateOrderPerFile(t *testing.T) {
	const head = "id,id_cliente,nombre,especie,fecha_nacimiento\n"
	tests := []struct {
		name  string
		rows  string
		order string
		want  map[string]string // pet id -> birth date stored ("" when not read)
		notes map[string]int    // issue type -> how many records carry it
	}{
		{name: "month first", order: "month_first",
			rows:  "P1,C1,Luna,Canino,12/25/2015\nP2,C1,Max,Canino,2/29/2016\nP3,C1,Kira,Canino,03/04/2015\nP4,C1,Toby,Canino,04/05/2015\n",
			want:  map[string]string{"P1": "2015-12-25", "P2": "2016-02-29", "P3": "2015-03-04", "P4": "2015-04-05"},
			notes: map[string]int{IssueDateMonthFirst: 1}},
		{name: "day first by default", order: "day_first",
			rows: "P1,C1,Luna,Canino,25/12/2015\nP2,C1,Max,Canino,03/04/2015\n",
			want: map[string]string{"P1": "2015-12-25", "P2": "2015-04-03"}},
		{name: "one month-first date is not enough", order: "day_first",
			rows:  "P1,C1,Luna,Canino,12/25/2015\nP2,C1,Max,Canino,03/04/2015\n",
			want:  map[string]string{"P1": "", "P2": "2015-04-03"},
			notes: map[string]int{"invalid_date": 1}},
		{name: "mixed evidence is a finding", order: "mixed",
			rows:  "P1,C1,Luna,Canino,12/25/2015\nP2,C1,Max,Canino,25/12/2015\nP3,C1,Kira,Canino,03/04/2015\nP4,C1,Toby,Canino,2015-03-04\nP5,C1,Nala,Canino,05/05/2015\n",
			want:  map[string]string{"P1": "2015-12-25", "P2": "2015-12-25", "P3": "", "P4": "2015-03-04", "P5": "2015-05-05"},
			notes: map[string]int{IssueDateOrderMixed: 1, "ambiguous_date": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), "mascotas.csv", []byte(head+tt.rows))
			res, err := readAll(t, p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.info.DateOrder != tt.order {
				t.Errorf("date order %q, want %q", res.info.DateOrder, tt.order)
			}
			got := map[string]int{}
			for _, rec := range res.records {
				if d := rec.Values["fecha_nacimiento"].Text; d != tt.want[rec.SourceID] {
					t.Errorf("%s: birth %q, want %q", rec.SourceID, d, tt.want[rec.SourceID])
				}
				for _, is := range rec.Issues {
					got[is.Type]++
				}
			}
			for typ, n := range tt.notes {
				if got[typ] != n {
					t.Errorf("%d record issue(s) %s, want %d (all: %v)", got[typ], typ, n, got)
				}
			}
			if tt.order != "day_first" && !hasIssue(res.info.Issues, map[string]string{"month_first": IssueDateMonthFirst, "mixed": IssueDateOrderMixed}[tt.order]) {
				t.Errorf("file issues %+v lack the date order note", res.info.Issues)
			}
			for _, is := range res.info.Issues {
				if strings.HasPrefix(is.Type, "date_order") && is.Column != 5 {
					t.Errorf("date order note on column %d, want 5", is.Column)
				}
			}
		})
	}
}
