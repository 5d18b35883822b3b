package source

import (
	"strings"
	"testing"
)

// TestRebuilds: Rebuilds agrees with RebuildLine on every kind of cell CSV
// quotes or not, and on texts that differ from the rebuilt line by one
// byte anywhere.
func TestRebuilds(t *testing.T) {
	pets, ok := TypeByName("pets")
	if !ok {
		t.Fatal("no pets type")
	}
	cells := []string{"", "Luna", "12,5", `dice "hola"`, "línea\nnueva", "cr\r", " espacio", "\t", `\.`, `"`, `""x""`, "ñandú", "a,b\"c\nd"}
	tests := []struct {
		name string
		data map[string]string
	}{
		{"empty", map[string]string{}},
		{"one field", map[string]string{"id": "P1"}},
		{"unknown keys left out", map[string]string{"id": "P1", "otra columna": "x", "nombre": "Luna"}},
	}
	for i, c := range cells {
		tests = append(tests, struct {
			name string
			data map[string]string
		}{"cell " + c, map[string]string{"id": "P" + string(rune('0'+i)), "nombre": c, "notas": c + c, "peso": "1"}})
	}
	for _, tt := range tests {
		line := RebuildLine(pets, tt.data)
		if !Rebuilds(pets, tt.data, line) {
			t.Errorf("%s: Rebuilds(RebuildLine) = false for %q", tt.name, line)
		}
		for _, wrong := range []string{line + ",", line + " ", "x" + line, strings.Replace(line, `"`, "", 1), strings.Replace(line, ",", ";", 1),
			strings.TrimSuffix(line, `"`), line[:len(line)/2]} {
			if wrong != line && Rebuilds(pets, tt.data, wrong) {
				t.Errorf("%s: Rebuilds(%q) = true, the line is %q", tt.name, wrong, line)
			}
		}
	}
}
