package audit_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/petfriendly/recon/audit"
	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
)

// TestUnknownTypeNamesEveryType: refusing a type names, in either language,
// every type of the type table, so a new type needs no second list.
func TestUnknownTypeNamesEveryType(t *testing.T) {
	e := &audit.Error{Code: audit.CodeUnknownType, Type: "gato"}
	for _, tt := range []struct {
		lang i18n.Lang
		want string
	}{
		{i18n.ES, `tipo desconocido "gato" (use client, `},
		{i18n.EN, `unknown type "gato" (use client, `},
	} {
		msg := e.Text(tt.lang)
		if !strings.HasPrefix(msg, tt.want) {
			t.Errorf("%s: %q, want it to start %q", tt.lang, msg, tt.want)
		}
		words := strings.FieldsFunc(msg, func(r rune) bool { return strings.ContainsRune(" ,()", r) })
		for _, typ := range source.Types() {
			if !slices.Contains(words, typ.SourceType) {
				t.Errorf("%s: %q does not name %s", tt.lang, msg, typ.SourceType)
			}
		}
	}
}
