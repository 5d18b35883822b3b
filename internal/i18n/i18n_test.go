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
