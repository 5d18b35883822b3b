package source

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"
)

// DefaultMaxXLSXMB is how many megabytes (MiB) an xlsx workbook may unpack
// to unless Options.MaxXLSXMB says otherwise: a few kilobytes of zip can
// unpack to gigabytes.
const DefaultMaxXLSXMB = 100

// Workbook limits beyond the unpacked size: Excel's own.
const (
	maxXLSXRows      = 1_048_576
	maxXLSXCellRunes = 32_767
)

// ErrXLSXLimit: a workbook beyond one of recon's limits.
var ErrXLSXLimit = errors.New("xlsx workbook beyond a limit")

// ErrFormulaNoValue: a formula cell saved without its calculated value (the
// program that wrote the workbook did not calculate it).
var ErrFormulaNoValue = errors.New("formula cell saved without its value: open the workbook in Excel (or LibreOffice) and save it again so the values are calculated")

// ErrCellTooLong: a cell beyond Excel's 32,767 characters.
var ErrCellTooLong = fmt.Errorf("cell longer than Excel's limit of %d characters", maxXLSXCellRunes)

// readWorkbook reads a workbook's bytes and checks what it unpacks to
// against maxMB before anything is decompressed.
func readWorkbook(r io.Reader, maxMB int) ([]byte, *zip.Reader, error) {
	if maxMB <= 0 {
		maxMB = DefaultMaxXLSXMB
	}
	limit := int64(maxMB) << 20
	// The zip itself is at most the unpacked size (stored entries).
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, nil, err
	}
	if int64(len(b)) > limit {
		return nil, nil, fmt.Errorf("%w: the file is larger than %d MB (--max-xlsx-mb %d); raise it with --max-xlsx-mb if the workbook is genuine",
			ErrXLSXLimit, maxMB, maxMB)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrCorruptXLSX, err)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if total > uint64(limit) {
		return nil, nil, fmt.Errorf("%w: it unpacks to %d MB, more than the limit of %d MB (--max-xlsx-mb %d); raise it with --max-xlsx-mb if the workbook is genuine",
			ErrXLSXLimit, total>>20, maxMB, maxMB)
	}
	return b, zr, nil
}

// sheetPath finds the worksheet XML part of the sheet called name.
func sheetPath(zr *zip.Reader, name string) (string, error) {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := decodePart(zr, "xl/workbook.xml", &wb); err != nil {
		return "", err
	}
	if err := decodePart(zr, "xl/_rels/workbook.xml.rels", &rels); err != nil {
		return "", err
	}
	for _, s := range wb.Sheets {
		if s.Name != name {
			continue
		}
		for _, r := range rels.Rels {
			if r.ID == s.RID {
				if strings.HasPrefix(r.Target, "/") {
					return strings.TrimPrefix(r.Target, "/"), nil
				}
				return path.Join("xl", r.Target), nil
			}
		}
	}
	return "", fmt.Errorf("sheet %q: no worksheet part", name)
}

func decodePart(zr *zip.Reader, name string, v any) error {
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, name) {
			rc, err := f.Open()
			if err != nil {
				return err
			}
			defer rc.Close()
			return xml.NewDecoder(rc).Decode(v)
		}
	}
	return fmt.Errorf("no %s", name)
}

// maxFormulaNotes bounds the memory of formulaCells on a hostile sheet.
const maxFormulaNotes = 100_000

// formulaCells streams a worksheet part and returns, per sheet row, the
// 0-based columns of formula cells that carry no saved value. It also
// checks that every element is closed, by the tag that opened it: excelize's
// row iterator ignores XML errors and would end a mismatched or truncated
// worksheet early, silently, at the broken row.
func formulaCells(zr *zip.Reader, part string) (map[int][]int, error) {
	var file *zip.File
	for _, f := range zr.File {
		if f.Name == part {
			file = f
		}
	}
	if file == nil {
		return nil, fmt.Errorf("no %s", part)
	}
	rc, err := file.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	out := map[int][]int{}
	notes := 0
	dec := xml.NewDecoder(rc)
	var ref string
	var hasF, hasV bool
	var open []xml.Name // RawToken does not match end tags to start tags
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			if len(open) > 0 {
				return nil, fmt.Errorf("%s ends inside <%s>: truncated", part, qualified(open[len(open)-1]))
			}
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			open = append(open, t.Name)
			switch t.Name.Local {
			case "c":
				ref, hasF, hasV = "", false, false
				for _, a := range t.Attr {
					if a.Name.Local == "r" {
						ref = a.Value
					}
				}
			case "f":
				hasF = true
			case "v", "is":
				hasV = true
			}
		case xml.EndElement:
			if len(open) == 0 || open[len(open)-1] != t.Name {
				opened := "nothing"
				if len(open) > 0 {
					opened = "<" + qualified(open[len(open)-1]) + ">"
				}
				line, _ := dec.InputPos()
				return nil, fmt.Errorf("line %d: </%s> closes %s", line, qualified(t.Name), opened)
			}
			open = open[:len(open)-1]
			if t.Name.Local != "c" || !hasF || hasV || ref == "" || notes >= maxFormulaNotes {
				continue
			}
			col, row, err := excelize.CellNameToCoordinates(ref)
			if err == nil {
				out[row] = append(out[row], col-1)
				notes++
			}
		}
	}
}

// qualified is an element's name as written, with its prefix.
func qualified(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}
