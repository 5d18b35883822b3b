package importer

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCreateRejectFileNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	var names []string
	for i := range 3 {
		f, err := createRejectFile(dir, "1-clients")
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(string(rune('a' + i)))
		f.Close()
		names = append(names, filepath.Base(f.Name()))
	}
	want := []string{"1-clients.csv", "1-clients-2.csv", "1-clients-3.csv"}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("files %v, want %v", names, want)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, want[i])); string(b) != string(rune('a'+i)) {
			t.Fatalf("%s holds %q: overwritten", want[i], b)
		}
	}
	if _, err := createRejectFile(filepath.Join(dir, "missing"), "x"); err == nil {
		t.Fatal("no error for a missing folder")
	}
}
