package reconcile

import (
	"math/big"
	"testing"
	"time"

	"github.com/petfriendly/recon/source"
)

func record(t source.Type, raw map[string]string) source.Record {
	vals, issues := source.Normalize(t, raw, nil, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	return source.Record{Type: t.Name, SourceID: raw["id"], Raw: raw, Values: vals, Issues: issues}
}

func TestCompareRecord(t *testing.T) {
	pets, _ := source.TypeByName("pets")
	clients, _ := source.TypeByName("clients")
	appts, _ := source.TypeByName("appointments")
	tests := []struct {
		name      string
		typ       source.Type
		raw       map[string]string
		dest      map[string]string
		field     string
		match     bool
		explained bool
		missing   bool
	}{
		{"equal text", pets, map[string]string{"id": "P1", "nombre": " Luna "}, map[string]string{"nombre": "Luna"}, "nombre", true, false, false},
		{"renamed", pets, map[string]string{"id": "P1", "nombre": "Luna"}, map[string]string{"nombre": "Lunita"}, "nombre", false, false, false},
		{"weight by value", pets, map[string]string{"id": "P1", "peso": "12,5"}, map[string]string{"peso": "12.500"}, "peso", true, false, false},
		{"weight lost", pets, map[string]string{"id": "P1", "peso": "12,5"}, map[string]string{"peso": ""}, "peso", false, false, true},
		{"species default", pets, map[string]string{"id": "P1", "especie": ""}, map[string]string{"especie": "other"}, "especie", true, false, false},
		{"unknown species stored other", pets, map[string]string{"id": "P1", "especie": "Dragón"}, map[string]string{"especie": "other"}, "especie", true, false, false},
		{"future birth stored empty", pets, map[string]string{"id": "P1", "fecha_nacimiento": "2031-01-01"}, map[string]string{"fecha_nacimiento": ""}, "fecha_nacimiento", false, true, true},
		{"bool default", pets, map[string]string{"id": "P1", "fallecido": ""}, map[string]string{"fallecido": "false"}, "fallecido", true, false, false},
		{"placeholder e-mail", clients, map[string]string{"id": "C1", "email": ""}, map[string]string{"email": "imported_c1@placeholder.local"}, "email", true, false, false},
		{"unusable phone kept raw", clients, map[string]string{"id": "C1", "telefono": "123"}, map[string]string{"telefono": "123"}, "telefono", false, true, false},
		{"phone changed", clients, map[string]string{"id": "C1", "celular": "3001234567"}, map[string]string{"celular": "+573009999999"}, "celular", false, false, false},
		{"appointment time", appts, map[string]string{"id": "A1", "fecha": "2024-03-01", "hora": "2:30 PM"}, map[string]string{"fecha": "2024-03-01", "hora": "14:30:00"}, "hora", true, false, false},
		{"no time is midnight", appts, map[string]string{"id": "A1", "fecha": "2024-03-01", "hora": ""}, map[string]string{"hora": "00:00:00"}, "hora", true, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := record(tt.typ, tt.raw)
			checks := CompareRecord(tt.typ, rec, Dest{SourceID: rec.SourceID, Exists: true, Fields: tt.dest})
			for _, c := range checks {
				if c.Field != tt.field {
					continue
				}
				if c.Match != tt.match || c.Explained != tt.explained || c.Missing != tt.missing {
					t.Fatalf("%s: match=%v explained=%v missing=%v, want %v %v %v (normalised %q, dest %q)",
						c.Field, c.Match, c.Explained, c.Missing, tt.match, tt.explained, tt.missing, c.Normalised, c.Destination)
				}
				return
			}
			t.Fatalf("field %s not compared", tt.field)
		})
	}
}

func TestReservoirIsDeterministicAndBounded(t *testing.T) {
	draw := func(seed uint64) []string {
		r := &reservoir{k: 3, rng: newRand(seed, 0)}
		for i := 0; i < 1000; i++ {
			r.offer("pets", string(rune('a'+i%26))+string(rune('0'+i%10)), nil)
		}
		var ids []string
		for _, s := range r.items {
			ids = append(ids, s.SourceID)
		}
		return ids
	}
	a, b, c := draw(1), draw(1), draw(2)
	if len(a) != 3 {
		t.Fatalf("sample size %d", len(a))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("same seed drew different samples")
		}
	}
	if a[0] == c[0] && a[1] == c[1] && a[2] == c[2] {
		t.Error("different seeds drew the same sample")
	}
}

func TestDefaultSeed(t *testing.T) {
	if got := DefaultSeed(time.Date(2026, 11, 27, 23, 0, 0, 0, time.UTC)); got != 20261127 {
		t.Errorf("DefaultSeed = %d", got)
	}
}

func TestOptionsCheck(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		opts Options
		ok   bool
	}{
		{Options{Now: now}, true},
		{Options{}, false},
		{Options{Now: now, Sample: -1}, false},
		{Options{Now: now, ChunkSize: -5}, false},
		// Without a pool only look-ups are possible.
		{Options{Now: now, Reads: ReadsLookups}, true},
		{Options{Now: now, Reads: ReadsStreamed}, false},
		{Options{Now: now, Reads: ReadsAhead}, false},
		{Options{Now: now, Reads: Reads(9)}, false},
	}
	for i, tt := range tests {
		err := tt.opts.check(nil)
		if (err == nil) != tt.ok {
			t.Errorf("case %d: err = %v", i, err)
		}
	}
}

func TestMarkCorrected(t *testing.T) {
	pets, _ := source.TypeByName("pets")
	rec := record(pets, map[string]string{"id": "P1", "nombre": "Luna", "peso": "12,5", "color": "Negro"})
	checks := CompareRecord(pets, rec, Dest{SourceID: "P1", Exists: true,
		Fields: map[string]string{"nombre": "Lunita", "peso": "13.200", "color": "Blanco"}})
	MarkCorrected(pets, checks, map[string]Correction{
		"nombre": {Field: "nombre", Old: "Luna", New: "Lunita"},
		"peso":   {Field: "peso", Old: "12.500", New: "13.2"}, // numbers compare by value
		"color":  {Field: "color", Old: "Negro", New: "Gris"}, // changed again since: not covered
	})
	want := map[string]bool{"nombre": true, "peso": true, "color": false, "especie": false}
	for _, c := range checks {
		if w, ok := want[c.Field]; ok && c.Corrected != w {
			t.Errorf("%s: corrected=%v, want %v (dest %q)", c.Field, c.Corrected, w, c.Destination)
		}
	}
}

// TestCanonicalDecimalMatchesRat pins the decimal fast path of equalValues
// to big.Rat's comparison.
func TestCanonicalDecimalMatchesRat(t *testing.T) {
	vals := []string{"0", "-0", "+0", "0.000", "-0.0", "00", ".5", "0.5", "-.50", "5.", "12.5", "12.500", "012.50", "-12.5",
		"+12.5", "120000.00", "120000", "1e3", "1000", "1/2", "0.5e0", "", ".", "-", "abc", "1.2.3", " 1", "99999999999999999999.1"}
	for _, a := range vals {
		for _, b := range vals {
			want := a == b
			if !want && a != "" && b != "" {
				x, ok1 := new(big.Rat).SetString(a)
				y, ok2 := new(big.Rat).SetString(b)
				want = ok1 && ok2 && x.Cmp(y) == 0
			}
			if got := equalValues(source.KindMoney, a, b); got != want {
				t.Errorf("equalValues(%q, %q) = %v, big.Rat says %v", a, b, got, want)
			}
		}
	}
}
