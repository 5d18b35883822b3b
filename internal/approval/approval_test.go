package approval

import "testing"

// TestParseKeywords reads the run and fingerprints back from the Keywords
// and refuses keywords without a run number or a content fingerprint.
func TestParseKeywords(t *testing.T) {
	cases := []struct {
		in   string
		want Identity
		ok   bool
	}{
		{"recon-run:7 recon-fingerprint:abc recon-content-fingerprint:def", Identity{7, "abc", "def"}, true},
		{"recon-run:7 recon-fingerprint:abc recon-content-fingerprint:", Identity{7, "abc", ""}, false},
		{"recon-run:x recon-content-fingerprint:def", Identity{}, false},
		{"recon-fingerprint:abc recon-content-fingerprint:def", Identity{}, false},
		{"", Identity{}, false},
	}
	for _, c := range cases {
		got, ok := ParseKeywords(c.in)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("ParseKeywords(%q) = %+v, %v; want %+v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	id := Identity{RunID: 12, Fingerprint: "f00d", ContentFingerprint: "c0ffee"}
	if got, ok := ParseKeywords(id.Keywords()); !ok || got != id {
		t.Errorf("keywords do not round-trip: %+v %v", got, ok)
	}
}

// TestVerdict: the run's verdict code from OK and SignoffReady.
func TestVerdict(t *testing.T) {
	tests := []struct {
		ok, ready bool
		want      string
	}{
		{true, true, "ready"},
		{true, false, "verified_critical_open"},
		{false, false, "problems"},
		{false, true, "problems"},
	}
	for _, tt := range tests {
		if got := Verdict(tt.ok, tt.ready); got != tt.want {
			t.Errorf("OK=%v ready=%v: %s, want %s", tt.ok, tt.ready, got, tt.want)
		}
	}
}
