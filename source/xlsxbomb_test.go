package source

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io"
	"strings"
	"testing"
	"time"
)

// sharedStringsBomb is base with xl/sharedStrings.xml replaced by n
// copies of one shared string: a few kilobytes of zip that unpack to
// megabytes. lie: the zip headers declare 1 KB unpacked.
func sharedStringsBomb(t *testing.T, base []byte, n int, lie bool) []byte {
	t.Helper()
	var xml bytes.Buffer
	xml.WriteString(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	for range n {
		xml.WriteString("<si><t>" + strings.Repeat("A", 100) + "</t></si>")
	}
	xml.WriteString("</sst>")
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name == "xl/sharedStrings.xml" {
			continue
		}
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		w, _ := zw.Create(f.Name)
		w.Write(data)
	}
	var packed bytes.Buffer
	fw, _ := flate.NewWriter(&packed, flate.BestCompression)
	fw.Write(xml.Bytes())
	fw.Close()
	size := uint64(xml.Len())
	if lie {
		size = 1024
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/sharedStrings.xml", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(xml.Bytes()),
		CompressedSize64: uint64(packed.Len()), UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(packed.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestXLSXSharedStringsBomb: a tiny workbook whose shared strings unpack to
// many megabytes is refused by the unpack limit before it is decompressed,
// and one whose zip headers understate the size fails as corrupt when the
// reader passes the declared size, quickly, never reading it all.
func TestXLSXSharedStringsBomb(t *testing.T) {
	base := xlsxBytes(t, sheet{name: "clientes", rows: [][]any{{"id", "nombre"}, {"C1", "Ana"}}})
	honest := sharedStringsBomb(t, base, 50_000, false) // 5.6 MB of XML
	liar := sharedStringsBomb(t, base, 50_000, true)
	if len(honest) > 64<<10 {
		t.Fatalf("the bomb is %d bytes; it should be tiny", len(honest))
	}
	tests := []struct {
		name  string
		data  []byte
		maxMB int
		want  error
	}{
		{"declared size beyond the limit", honest, 1, ErrXLSXLimit},
		{"declared size understated", liar, 1, ErrCorruptXLSX},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), "clientes.xlsx", tt.data)
			start := time.Now()
			_, err := readAll(t, p, Options{MaxXLSXMB: tt.maxMB})
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}
