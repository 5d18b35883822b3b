package i18n

import "testing"

func TestInt(t *testing.T) {
	tests := []struct {
		l    Lang
		n    int
		want string
	}{
		{ES, 0, "0"}, {ES, 999, "999"}, {ES, 1234, "1.234"}, {EN, 1234567, "1,234,567"}, {ES, -56233, "-56.233"},
	}
	for _, tt := range tests {
		if got := tt.l.Int(tt.n); got != tt.want {
			t.Errorf("%s.Int(%d) = %q, want %q", tt.l, tt.n, got, tt.want)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Lang
		err  bool
	}{
		{"", ES, false}, {"es_CO.UTF-8", ES, false}, {"EN", EN, false}, {"en_US", EN, false}, {"fr", ES, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("Parse(%q) = %v, %v", tt.in, got, err)
		}
	}
}

func TestText(t *testing.T) {
	for _, tc := range []struct {
		name string
		text Text
		lang Lang
		want string
	}{
		{"spanish", T("fila %d sin id", "row %d has no id", 3), ES, "fila 3 sin id"},
		{"english", T("fila %d sin id", "row %d has no id", 3), EN, "row 3 has no id"},
		{"default is spanish", T("sin id", "no id"), "", "sin id"},
		{"no spanish written", Text{EN: "disk full"}, ES, "disk full"},
		{"percent sign", T("100%% listo", "100%% done"), ES, "100% listo"},
	} {
		if got := tc.text.In(tc.lang); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
