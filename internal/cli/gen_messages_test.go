package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenMessagesInTheOperatorsLanguage: gen's refusals, and the parser's
// value errors of any command, are Spanish by default and English with
// --lang en — no sentence half in each.
func TestGenMessagesInTheOperatorsLanguage(t *testing.T) {
	dir := t.TempDir()
	busy := filepath.Join(dir, "ocupada")
	if err := os.MkdirAll(busy, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(busy, "notas.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "export")
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"a scale the command does not take", []string{"gen", "--out", out, "--scale=abc"}, `recon: --scale: se esperaba un número pero se recibió "abc"`},
		{"a scale the command does not take, in english", []string{"--lang", "en", "gen", "--out", out, "--scale=abc"},
			`recon: --scale: expected a float but got "abc"`},
		{"scale 0", []string{"gen", "--out", out, "--scale=0"}, "recon: gen: la escala 0 está fuera del rango 0.04..1000\n"},
		{"scale 0 in english", []string{"--lang", "en", "gen", "--out", out, "--scale=0"}, "recon: gen: scale 0 out of range 0.04..1000\n"},
		{"a folder holding other files", []string{"gen", "--out", busy},
			"recon: preparar " + busy + `: la carpeta no está vacía y "notas.txt" no es parte de una exportación generada; use una carpeta vacía` + "\n"},
		{"a value that looks like a flag", []string{"import", "clients", "--file", "gen_messages_test.go", "--operator", "-x"},
			`recon: --operator: se esperaba un texto pero se recibió "-x" (parece una opción corta); pruebe --operator="-x"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, errs := run(t, tt.args...)
			if code != ExitError || !strings.HasPrefix(errs, tt.wantErr) {
				t.Fatalf("exit %d\n%s%s\nwant stderr starting %q", code, stdout, errs, tt.wantErr)
			}
			for _, english := range []string{"expected", "but got", "folder is not empty", "out of range", "perhaps"} {
				if !strings.Contains(strings.Join(tt.args, " "), "--lang en") && strings.Contains(errs, english) {
					t.Errorf("Spanish message holds %q: %s", english, errs)
				}
			}
		})
	}
}
