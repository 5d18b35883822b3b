package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/internal/pgtest"
	"github.com/petfriendly/recon/source"
)

// TestImportEveryTypeByCommand: recon import <Command> reaches the importer
// for every type of the type table, as that type: a dry run of a file
// holding only the type's header makes a batch of the type.
func TestImportEveryTypeByCommand(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	home, dir := t.TempDir(), t.TempDir()
	for _, typ := range source.Types() {
		var header []string
		for _, f := range typ.Fields {
			header = append(header, f.Name)
		}
		file := filepath.Join(dir, typ.Files[0]+".csv")
		if err := os.WriteFile(file, []byte(strings.Join(header, ",")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errs := run(t, "--database-url", db.URL, "--home", home, "--lang", "en", "--no-progress",
			"import", typ.Command, "--file", file, "--dry-run")
		if code != 0 {
			t.Fatalf("import %s: exit %d\n%s%s", typ.Command, code, out, errs)
		}
		// The batch the command made is of the type.
		var batchType string
		if err := db.Pool.QueryRow(t.Context(), `SELECT batch_type FROM migration_migrationbatch
			WHERE source_file LIKE '%' || $1 ORDER BY id DESC LIMIT 1`, filepath.Base(file)).Scan(&batchType); err != nil {
			t.Fatalf("import %s: %v", typ.Command, err)
		}
		if batchType != typ.BatchType {
			t.Errorf("import %s made a batch of %q, want %q", typ.Command, batchType, typ.BatchType)
		}
	}
}

// TestImportTypeNames: import's help lists every type by the name the
// operator types, with what it imports, in the operator's language; a name
// the table does not hold is refused while parsing, naming every valid one.
func TestImportTypeNames(t *testing.T) {
	file := filepath.Join(t.TempDir(), "clientes.csv")
	if err := os.WriteFile(file, []byte("id,nombre\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, typ := range source.Types() {
		names = append(names, fmt.Sprintf("%q", typ.Command))
	}
	valid := strings.Join(names, ",")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string
		wantErr  []string
	}{
		{"help in spanish", []string{"import", "--help"}, 0, []string{"Comandos:"}, nil},
		{"help in english", []string{"--lang", "en", "import", "--help"}, 0, []string{"Commands:"}, nil},
		{"one type's help names the others", []string{"import", "records", "--help"}, 0,
			[]string{"recon import <type> --file=STRING", "Importa un archivo del tipo indicado: clients, pets, records, vaccines"}, nil},
		{"unknown type", []string{"import", "clientes", "--file", file}, 2, nil,
			[]string{`recon: import <type>: debe ser uno de ` + valid + ` pero se recibió "clientes"`, "recon --help"}},
		{"unknown type in english", []string{"--lang=en", "import", "invoice_items", "--file", file}, 2, nil,
			[]string{`recon: import <type>: must be one of ` + valid + ` but got "invoice_items"`}},
		{"no type", []string{"import"}, 2, nil, []string{`se esperaba uno de "all", "import <type> --file=STRING [opciones]"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, tt.args...)
			checkRun(t, code, out, errs, tt.wantCode, tt.wantOut, tt.wantErr)
		})
	}
	for _, lang := range []i18n.Lang{i18n.ES, i18n.EN} {
		_, out, _ := run(t, "--lang", string(lang), "import", "--help")
		for _, typ := range source.Types() {
			line := regexp.MustCompile(`\n  import ` + regexp.QuoteMeta(typ.Command) + ` +` + regexp.QuoteMeta(lang.S(typ.ImportES, typ.ImportEN)) + `\n`)
			if !line.MatchString(out) {
				t.Errorf("--lang %s import --help lacks import %s with its help:\n%s", lang, typ.Command, out)
			}
		}
	}
}
