package cli

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/petfriendly/recon/internal/gen"
	"github.com/petfriendly/recon/internal/pgtest"
)

func TestRollbackCommand(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	export := filepath.Join(t.TempDir(), "export")
	if _, err := gen.Generate(context.Background(), gen.Options{Out: export, Scale: 1, Seed: 11, Variant: "utf8"}); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	g := []string{"--database-url", db.URL, "--home", home, "--no-progress"}
	args := func(a ...string) []string { return append(append([]string(nil), g...), a...) }

	code, out, errs := run(t, args("import", "clients", "--file", filepath.Join(export, "clientes.csv"))...)
	if code != 0 || !strings.Contains(out, "actualizadas") || !strings.Contains(out, "sin cambios") {
		t.Fatalf("import clients: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = run(t, args("import", "pets", "--file", filepath.Join(export, "mascotas.csv"))...)
	if code != 0 {
		t.Fatalf("import pets: exit %d\n%s%s", code, out, errs)
	}

	// Re-import: nothing new, everything unchanged, in the table.
	code, out, _ = run(t, args("--lang", "en", "import", "clients", "--file", filepath.Join(export, "clientes.csv"))...)
	if code != 0 || !regexp.MustCompile(`clients\s+[\d,]+\s+0\s+0\s+[1-9][\d,]*\s`).MatchString(out) {
		t.Fatalf("re-import: exit %d\n%s", code, out)
	}

	// Batch 1 (clients) has dependents: refused, in Spanish, listing batch 2.
	code, _, errs = run(t, args("rollback", "--batch-id", "1")...)
	if code != ExitProblems || !strings.Contains(errs, "no se puede revertir el lote 1") || !strings.Contains(errs, "lote 2 (mascotas") ||
		!strings.Contains(errs, "--cascade") {
		t.Fatalf("refusal: exit %d\n%s", code, errs)
	}

	// Dry run with cascade: counts with thousands separators, nothing changed.
	code, out, errs = run(t, args("rollback", "--batch-id", "1", "--cascade", "--dry-run")...)
	if code != 0 || !strings.Contains(out, "SIMULACIÓN") || !regexp.MustCompile(`vet_clinic_ownerprofile\s+1\.\d{3}`).MatchString(out) ||
		!strings.Contains(out, "Se revertirían los lotes 2, 1") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errs)
	}
	var owners int
	db.Pool.QueryRow(context.Background(), "SELECT count(*) FROM vet_clinic_ownerprofile").Scan(&owners)
	if owners < 1000 {
		t.Fatalf("dry run removed owners: %d left", owners)
	}

	code, out, errs = run(t, args("--lang", "en", "rollback", "--batch-id", "1", "--cascade")...)
	if code != 0 || !regexp.MustCompile(`vet_clinic_ownerprofile\s+1,\d{3}`).MatchString(out) || !strings.Contains(out, "pets_pet") ||
		!strings.Contains(out, "Batches rolled back: 2, 1.") {
		t.Fatalf("cascade: exit %d\n%s%s", code, out, errs)
	}
	db.Pool.QueryRow(context.Background(), "SELECT count(*) FROM vet_clinic_ownerprofile").Scan(&owners)
	if owners != 0 {
		t.Errorf("%d owners after the rollback", owners)
	}

	code, out, _ = run(t, args("rollback", "--batch-id", "1")...)
	if code != 0 || !strings.Contains(out, "ya estaba revertido") {
		t.Fatalf("second rollback: exit %d\n%s", code, out)
	}
	code, _, errs = run(t, args("rollback", "--batch-id", "99")...)
	if code != ExitError || !strings.Contains(errs, "el lote 99 no existe") {
		t.Fatalf("unknown batch: exit %d\n%s", code, errs)
	}
}

func TestRollbackHelp(t *testing.T) {
	code, out, _ := run(t, "rollback", "--help")
	if code != 0 || !strings.Contains(out, "--batch-id") || !strings.Contains(out, "Revierte primero") || !strings.Contains(out, "--wait") {
		t.Fatalf("help: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "--lang", "en", "import", "all", "--help")
	if code != 0 || !strings.Contains(out, "--wait") {
		t.Fatalf("import help: exit %d\n%s", code, out)
	}
}
