package cli

import (
	"strings"
	"testing"
)

// TestIssuesCommandMessages covers what `recon issues` says besides the
// plain listing: a list cut by --limit (on stdout, or on stderr beside
// CSV rows), an empty match, contradictory or missing arguments of a
// resolution, a bulk resolution left unconfirmed, and resolved issues in
// the table.
func TestIssuesCommandMessages(t *testing.T) {
	t.Parallel()
	e := newReviewEnv(t)
	tests := []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		wantOut  []string
		wantErr  []string
	}{
		{name: "cut by --limit", args: []string{"issues", "list", "--limit", "1"},
			wantOut: []string{"Mostrando 1 de "}},
		{name: "cut by --limit, as CSV", args: []string{"--lang", "en", "issues", "list", "--csv", "--limit", "1"},
			wantOut: []string{"id,"}, wantErr: []string{"Showing 1 of "}},
		{name: "nothing matches", args: []string{"issues", "list", "--source-id", "NO-EXISTE"},
			wantOut: []string{"Ningún problema de calidad coincide."}},
		{name: "an issue number and filters", args: []string{"issues", "resolve", "1", "--severity", "info", "--resolution", "x"},
			wantCode: ExitError, wantErr: []string{"indique un número de problema o filtros, no ambos"}},
		{name: "neither number nor filter", args: []string{"--lang", "en", "issues", "resolve", "--resolution", "x"},
			wantCode: ExitError, wantErr: []string{"give an issue number or at least one filter"}},
		{name: "bulk resolution not confirmed", stdin: "n\n", args: []string{"issues", "resolve", "--severity", "info", "--resolution", "x"},
			wantCode: ExitProblems, wantOut: []string{"¿Marcar como resueltos estos"}, wantErr: []string{"cancelado: no se resolvió ningún problema"}},
		{name: "bulk resolution with nothing open", args: []string{"issues", "resolve", "--source-id", "NO-EXISTE", "--resolution", "x"},
			wantOut: []string{"Ningún problema abierto coincide: nada que resolver."}},
		{name: "bulk resolution confirmed", stdin: "s\n", args: []string{"issues", "resolve", "--severity", "info", "--resolution", "revisado", "--by", "ana"},
			wantOut: []string{"problemas resueltos por ana."}},
		{name: "severity in Spanish", args: []string{"issues", "list", "--severity=crítico"},
			wantOut: []string{"crítico", "el propietario no tiene teléfono, celular ni correo", `cliente "C3" no está en el destino (rechazado (no_contact))`}},
		{name: "severity in Spanish, plural, capitals", args: []string{"issues", "list", "--severity", "Advertencias"},
			wantOut: []string{"advertencia"}},
		{name: "unknown severity", args: []string{"issues", "list", "--severity=grave"},
			wantCode: ExitError, wantErr: []string{`filtro inválido: severity "grave" (crítico, advertencia, informativo`}},
		{name: "resolved issues are shown so", args: []string{"--lang", "en", "issues", "list", "--severity", "info"},
			wantOut: []string{"resolved by ana", " issues."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := e.run(t, strings.NewReader(tt.stdin), tt.args...)
			checkRun(t, code, out, errs, tt.wantCode, tt.wantOut, tt.wantErr)
		})
	}
}

// TestShowCommandMessages: `recon show` without what to show, with --find
// narrowed by a type (unknown, or leaving nothing), and a row that was
// never migrated, in English.
func TestShowCommandMessages(t *testing.T) {
	t.Parallel()
	e := newReviewEnv(t)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string
		wantErr  []string
	}{
		{name: "nothing to show", args: []string{"show"}, wantCode: ExitError,
			wantErr: []string{"indique --type y --source-id, o --find"}},
		{name: "find with an unknown type", args: []string{"show", "--find", "lun", "--type", "gato"}, wantCode: ExitError,
			wantErr: []string{"gato"}},
		{name: "find narrowed to nothing", args: []string{"--lang", "en", "show", "--find", "lun", "--type", "client"},
			wantCode: ExitProblems, wantErr: []string{`nothing matches "lun"`}},
		{name: "find narrowed to one", args: []string{"--lang", "en", "show", "--find", "lun", "--type", "pet"},
			wantOut: []string{"▶ ", "P1", "source: ", "destination: pets_pet #"}},
		{name: "never migrated", args: []string{"--lang", "en", "show", "--type", "record", "--source-id", "H4"},
			wantOut: []string{"H4", "destination: not migrated"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := e.run(t, nil, tt.args...)
			checkRun(t, code, out, errs, tt.wantCode, tt.wantOut, tt.wantErr)
		})
	}
}
