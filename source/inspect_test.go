package source

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInspectDirectory(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "clientes.csv", []byte("id,nombre,email\n1,Ana,ana@@x\n2,Luis\n3,Eva,eva@x.co\n"))
	writeFile(t, dir, "Mascotas.xlsx", xlsxBytes(t, mascotasSheet()))
	writeFile(t, dir, "notas.txt", []byte("hola\nmundo\n"))
	writeFile(t, dir, ".oculto.csv", []byte("id,nombre\n"))
	if err := os.Mkdir(filepath.Join(dir, "adjuntos"), 0o755); err != nil {
		t.Fatal(err)
	}
	in, err := Inspect(dir, Options{Now: fixedNow}, 1)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range in.Files {
		names = append(names, filepath.Base(f.Path))
	}
	if strings.Join(names, ",") != "Mascotas.xlsx,clientes.csv,notas.txt" {
		t.Fatalf("files %v", names)
	}
	masc, cli, txt := in.Files[0], in.Files[1], in.Files[2]
	if !masc.Recognized || masc.Records["clients"] != 3 || masc.Records["pets"] != 4 || len(masc.Samples) != 2 {
		t.Errorf("mascotas %+v", masc)
	}
	if !cli.Recognized || cli.Records["clients"] != 3 || cli.RowErrorsN != 1 || len(cli.RowErrors) != 1 || cli.IssueCounts["invalid_email"] != 1 {
		t.Errorf("clientes %+v", cli)
	}
	if txt.Recognized || txt.Reason != "unrecognized" || txt.Format != FormatCSV || txt.Types == nil {
		t.Errorf("notas %+v", txt)
	}
	if _, err := json.Marshal(in); err != nil {
		t.Fatal(err)
	}

	one, err := Inspect(filepath.Join(dir, "clientes.csv"), Options{}, 0)
	if err != nil || len(one.Files) != 1 || len(one.Files[0].Samples) != 0 {
		t.Errorf("single file: %+v %v", one, err)
	}
	if _, err := Inspect(filepath.Join(dir, "nope"), Options{}, 1); err == nil {
		t.Error("missing path: no error")
	}
}

func TestInspectManyRowErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,nombre,email\n")
	for i := range 8 {
		fmt.Fprintf(&b, "%d,x\n", i)
	}
	p := writeFile(t, t.TempDir(), "clientes.csv", []byte(b.String()))
	in, err := Inspect(p, Options{}, 3)
	if err != nil {
		t.Fatal(err)
	}
	f := in.Files[0]
	if f.RowErrorsN != 8 || len(f.RowErrors) != maxRowErrors || len(f.Samples) != 0 {
		t.Errorf("row errors %d kept %d samples %d", f.RowErrorsN, len(f.RowErrors), len(f.Samples))
	}
}

func TestErrorReason(t *testing.T) {
	for err, want := range map[error]string{
		fmt.Errorf("x: %w", ErrEmpty):         "empty",
		fmt.Errorf("x: %w", ErrBinary):        "binary",
		ErrLegacyXLS:                          "legacy_xls",
		ErrCorruptXLSX:                        "corrupt_xlsx",
		ErrUnrecognized:                       "unrecognized",
		ErrAmbiguous:                          "ambiguous",
		ErrDuplicate:                          "duplicate_header",
		ErrMissing:                            "missing_column",
		errors.New("permission denied"):       "io",
		fmt.Errorf("a: %w", os.ErrPermission): "io",
	} {
		if got := ErrorReason(err); got != want {
			t.Errorf("ErrorReason(%v) = %s, want %s", err, got, want)
		}
	}
}
