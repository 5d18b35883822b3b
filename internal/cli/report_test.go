package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/internal/pgtest"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/reports"
)

func reportNow() time.Time { return time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC) }

func reportGlobals(t *testing.T, url string, out *bytes.Buffer) *Globals {
	return &Globals{DatabaseURL: url, Stdout: out, Stderr: out, L: i18n.ES, Now: reportNow, Home: t.TempDir()}
}

// storeRehearsals saves the two report fixtures as runs 1 and 2.
func storeRehearsals(t *testing.T, db *pgtest.DB) []reconcile.Result {
	t.Helper()
	var out []reconcile.Result
	for _, name := range []string{"rehearsal_es", "clean_en"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "reports", name, "result.json"))
		if err != nil {
			t.Fatal(err)
		}
		var r reconcile.Result
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		if err := reconcile.SaveRun(context.Background(), db.Pool, &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func TestReportCommand(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	var out bytes.Buffer
	g := reportGlobals(t, db.URL, &out)
	dir := t.TempDir()

	err := (&ReportCmd{HTML: filepath.Join(dir, "x.html"), Clinic: "Clínica veterinaria"}).Run(ctx, g)
	if err == nil || !strings.Contains(err.Error(), "no hay verificaciones guardadas") {
		t.Fatalf("with no runs: %v", err)
	}

	runs := storeRehearsals(t, db)
	htmlPath, pdfPath, jsonPath := filepath.Join(dir, "informe.html"), filepath.Join(dir, "aprobacion.pdf"), filepath.Join(dir, "run.json")
	out.Reset()
	if err := (&ReportCmd{HTML: htmlPath, PDF: pdfPath, JSON: jsonPath}).Run(ctx, g); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"HTML escrito en " + htmlPath, "PDF escrito en " + pdfPath, "JSON escrito en " + jsonPath} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	page, err := os.ReadFile(htmlPath)
	if err != nil {
		t.Fatal(err)
	}
	// The latest run by default, with the clinic stored with it.
	for _, want := range []string{runs[1].Fingerprint, "Clínica Veterinaria Dr. Pablo", "#2", "22 de noviembre de 2026, 05:00 -05"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	pdf, err := os.ReadFile(pdfPath)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte("/CreationDate (D:20261122100000)")) {
		t.Errorf("PDF not written with the injected clock: %v", err)
	}
	var back reconcile.Result
	if b, err := os.ReadFile(jsonPath); err != nil || json.Unmarshal(b, &back) != nil || back.Fingerprint != runs[1].Fingerprint || back.RunID != 2 {
		t.Errorf("JSON does not hold run 2: %v %+v", err, back.RunID)
	}

	// An explicit run, a clinic name given by the user, JSON on stdout.
	out.Reset()
	g.L = i18n.EN
	if err := (&ReportCmd{RunID: 1, HTML: htmlPath, JSON: "-", Clinic: "Dr. Pablo's"}).Run(ctx, g); err != nil {
		t.Fatal(err)
	}
	page, _ = os.ReadFile(htmlPath)
	for _, want := range []string{runs[0].Fingerprint, "Dr. Pablo&#39;s", "Migration verification report"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("HTML of run 1 lacks %q", want)
		}
	}
	if !strings.Contains(out.String(), `"fingerprint": "`+runs[0].Fingerprint) {
		t.Errorf("stdout lacks run 1's JSON:\n%.300s", out.String())
	}
}

func TestReportCommandErrors(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	var out bytes.Buffer
	g := reportGlobals(t, db.URL, &out)
	storeRehearsals(t, db)
	dir := t.TempDir()
	tests := []struct {
		name string
		cmd  ReportCmd
		want string
	}{
		{"no output", ReportCmd{}, "indique qué informe escribir"},
		{"unknown run", ReportCmd{RunID: 42, JSON: filepath.Join(dir, "r.json")}, "no existe la verificación 42; las guardadas van de 1 a 2"},
		{"unwritable", ReportCmd{JSON: filepath.Join(dir, "no", "such", "dir.json")}, "--json " + filepath.Join(dir, "no", "such", "dir.json") + ": la carpeta " + filepath.Join(dir, "no", "such") + " no existe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cmd.Run(ctx, g)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
	// Nothing half-written when a run is missing.
	if _, err := os.Stat(filepath.Join(dir, "r.json")); !os.IsNotExist(err) {
		t.Error("a failed report left a file")
	}
}

func TestCompareCommand(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	var out bytes.Buffer
	g := reportGlobals(t, db.URL, &out)
	dir := t.TempDir()

	err := (&CompareCmd{Output: filepath.Join(dir, "c.html")}).Run(ctx, g)
	if err == nil || !strings.Contains(err.Error(), "al menos dos ejecuciones") {
		t.Fatalf("with no runs: %v", err)
	}
	runs := storeRehearsals(t, db)

	// Every stored run by default.
	htmlPath, jsonPath := filepath.Join(dir, "comparacion.html"), filepath.Join(dir, "comparacion.json")
	if err := (&CompareCmd{Output: htmlPath, JSON: jsonPath}).Run(ctx, g); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(htmlPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Comparación de ensayos", "#1 → #2", "Mejor que la anterior", runs[0].Fingerprint, runs[1].Fingerprint} {
		if !strings.Contains(string(page), want) {
			t.Errorf("comparison lacks %q", want)
		}
	}
	var cmp reports.Comparison
	if b, err := os.ReadFile(jsonPath); err != nil || json.Unmarshal(b, &cmp) != nil || len(cmp.Steps) != 1 || cmp.Steps[0].Verdict != reports.VerdictBetter {
		t.Fatalf("comparison JSON: %v %+v", err, cmp.Steps)
	}

	// A stored run against a verify JSON file, newest first on the command
	// line: the comparison still goes by date.
	file := filepath.Join(dir, "ensayo2.json")
	b, _ := json.Marshal(runs[1])
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	var msgs bytes.Buffer // with --json=- the summary goes to stderr
	g.Stderr = &msgs
	if err := (&CompareCmd{Runs: []string{file, "1"}, Output: "", JSON: "-"}).Run(ctx, g); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msgs.String(), "Ejecuciones comparadas") {
		t.Errorf("the comparison's summary is not on stderr:\n%s", msgs.String())
	}
	if err := json.Unmarshal(out.Bytes(), &cmp); err != nil {
		t.Fatalf("stdout is not the comparison JSON: %v\n%.300s", err, out.String())
	}
	if len(cmp.Runs) != 2 || cmp.Runs[0].Label != "#1" || cmp.Runs[1].Label != "ensayo2.json" {
		t.Errorf("runs %+v", cmp.Runs)
	}
}

func TestCompareCommandErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	// Files only: no database is needed, so an unreachable URL is fine.
	g := reportGlobals(t, "postgres://127.0.0.1:1/none?connect_timeout=1", &out)
	ctx := context.Background()
	tests := []struct {
		name string
		runs []string
		want string
	}{
		{"missing file", []string{filepath.Join(dir, "nope.json"), bad}, "no es un número de verificación guardada ni un archivo JSON existente"},
		{"not json", []string{bad, bad}, "no es un JSON de `recon verify`"},
		{"a folder", []string{dir, bad}, "read " + dir},
		{"one run", []string{writeJSON(t, dir)}, "al menos dos ejecuciones para comparar y hay 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := (&CompareCmd{Runs: tt.runs, Output: filepath.Join(dir, "c.html")}).Run(ctx, g)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func writeJSON(t *testing.T, dir string) string {
	p := filepath.Join(dir, "one.json")
	if err := os.WriteFile(p, []byte(`{"ok": true, "types": {}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
