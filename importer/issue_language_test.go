package importer_test

import (
	"strings"
	"testing"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/internal/pgtest"
)

// TestIssueLanguage: issue descriptions, the record's error message and
// the summary's problems are in the operator's language (Spanish unless
// told); the issue type stays a code.
func TestIssueLanguage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lang                   i18n.Lang
		name, phone, placehold string
	}{
		{"", "el nombre del propietario está vacío", "teléfono inválido «12»", "el propietario no tiene correo; se guarda el marcador"},
		{i18n.ES, "el nombre del propietario está vacío", "teléfono inválido «12»", "el propietario no tiene correo; se guarda el marcador"},
		{i18n.EN, "owner name is empty", `invalid phone "12"`, "owner has no e-mail; placeholder"},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			t.Parallel()
			db := pgtest.MustOpenDB(t)
			im := newImporter(t, db.Pool, func(o *importer.Options) { o.Lang = tc.lang })
			sum := mustImport(t, im, "clients", writeFile(t, t.TempDir(), "clientes.csv",
				"id,nombre,tipo_documento,documento,telefono,celular,email,direccion,ciudad,fecha_registro,notas,autorizacion_datos\n"+
					"C1,,CC,1,,3001112233,,,,,,\n"+
					"C2,Ana,CC,2,12,3001112234,,,,,,\n"))
			if msg := issueMessage(t, db, "client", "C1", "empty_name"); msg != tc.name {
				t.Errorf("empty_name: %q, want %q", msg, tc.name)
			}
			if msg := issueMessage(t, db, "client", "C2", "invalid_phone"); !strings.HasPrefix(msg, tc.phone) {
				t.Errorf("invalid_phone: %q, want it to start with %q", msg, tc.phone)
			}
			if msg := issueMessage(t, db, "client", "C2", "placeholder_email"); !strings.HasPrefix(msg, tc.placehold) {
				t.Errorf("placeholder_email: %q, want it to start with %q", msg, tc.placehold)
			}
			if len(sum.Problems) == 0 || !strings.HasSuffix(sum.Problems[0], "empty_name: "+tc.name) {
				t.Errorf("problems %q, want the empty name in the operator's language", sum.Problems)
			}
		})
	}
}
