package cli

import (
	"testing"

	"github.com/petfriendly/recon/internal/i18n"
)

// --lang is found before parsing, in either spelling, over RECON_LANG;
// an argument after "--" is not an option, and an unknown language falls
// back to Spanish.
func TestDetectLang(t *testing.T) {
	tests := []struct {
		name string
		env  string
		args []string
		want i18n.Lang
	}{
		{"default", "", []string{"verify"}, i18n.ES},
		{"environment", "en", []string{"verify"}, i18n.EN},
		{"flag over environment", "en", []string{"--lang", "es", "verify"}, i18n.ES},
		{"flag with =", "", []string{"verify", "--lang=en"}, i18n.EN},
		{"after --", "", []string{"show", "--", "--lang=en"}, i18n.ES},
		{"--lang last, no value", "en", []string{"verify", "--lang"}, i18n.EN},
		{"unknown language", "", []string{"--lang=fr"}, i18n.ES},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("RECON_LANG", tt.env)
			if got := detectLang(tt.args); got != tt.want {
				t.Errorf("detectLang(%q) with RECON_LANG=%q = %v, want %v", tt.args, tt.env, got, tt.want)
			}
		})
	}
}
