package source

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Inspection describes export files for `recon inspect`.
type Inspection struct {
	Files []FileReport `json:"files"`
}

// FileReport is one file's description. Recognized is false when the file
// cannot be read as an export; Error says why and FileInfo holds what was
// learnt before that (format, encoding, header row...).
type FileReport struct {
	FileInfo
	Recognized  bool           `json:"recognized"`
	Error       string         `json:"error,omitempty"`
	Reason      string         `json:"reason,omitempty"` // error class: see ErrorReason
	Records     map[string]int `json:"records"`          // per type, skipped ones included
	Skipped     int            `json:"skipped"`          // records with Skip set (soft-deleted)
	RowErrors   []string       `json:"row_errors"`       // malformed rows (the first maxRowErrors)
	RowErrorsN  int            `json:"row_error_count"`
	IssueCounts map[string]int `json:"issue_counts"` // issue type -> records' issues of that type
	Samples     []Sample       `json:"samples"`
}

// Sample is one record shown raw -> normalised.
type Sample struct {
	Type     string        `json:"type"`
	Line     int           `json:"line"`
	SourceID string        `json:"source_id"`
	Skip     string        `json:"skip,omitempty"`
	Fields   []SampleField `json:"fields"`
}

// SampleField is one field of a sample, in type-table order.
type SampleField struct {
	Field string `json:"field"`
	Raw   string `json:"raw"`
	Value string `json:"value"`
	Valid bool   `json:"valid"`
	Issue string `json:"issue,omitempty"` // issue types on this field, comma-separated
}

// maxRowErrors bounds the malformed-row messages kept per file.
const maxRowErrors = 5

// Inspect reads every file given (a directory means its files, not its
// subdirectories; hidden files are left out) to the end and describes it,
// with up to sample records per type. Only an unreadable path is an error;
// a file that is not an export is reported as unrecognised.
func Inspect(path string, opts Options, sample int) (Inspection, error) {
	st, err := os.Stat(path)
	if err != nil {
		return Inspection{}, err
	}
	files := []string{path}
	if st.IsDir() {
		entries, err := os.ReadDir(path)
		if err != nil {
			return Inspection{}, err
		}
		files = files[:0]
		for _, e := range entries {
			if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				files = append(files, filepath.Join(path, e.Name()))
			}
		}
		sort.Strings(files)
	}
	var in Inspection
	for _, f := range files {
		rep := inspectFile(f, opts, sample)
		rep.stableJSON()
		in.Files = append(in.Files, rep)
	}
	return in, nil
}

func inspectFile(path string, opts Options, sample int) FileReport {
	rep := FileReport{Records: map[string]int{}, IssueCounts: map[string]int{}, RowErrors: []string{}, Samples: []Sample{}}
	r, err := open(path, opts)
	if r != nil {
		rep.FileInfo = r.Info()
	}
	if err != nil {
		if r != nil {
			r.Close()
		}
		rep.FileInfo.Path = path
		rep.Error, rep.Reason = err.Error(), ErrorReason(err)
		return rep
	}
	defer r.Close()
	rep.Recognized = true
	shown := map[string]int{}
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		var re *RowError
		if errors.As(err, &re) {
			rep.RowErrorsN++
			if len(rep.RowErrors) < maxRowErrors {
				rep.RowErrors = append(rep.RowErrors, re.Error())
			}
		} else if err != nil {
			rep.Error, rep.Reason = err.Error(), ErrorReason(err)
			break
		}
		rep.Records[rec.Type]++
		if rec.Skip != "" {
			rep.Skipped++
		}
		for _, i := range rec.Issues {
			rep.IssueCounts[i.Type]++
		}
		if shown[rec.Type] < sample && err == nil {
			shown[rec.Type]++
			rep.Samples = append(rep.Samples, sampleOf(rec))
		}
	}
	rep.FileInfo = r.Info() // BlankRows is final now
	return rep
}

// stableJSON turns nil slices into empty ones so the JSON shape does not
// depend on how far Open got.
func (rep *FileReport) stableJSON() {
	if rep.Types == nil {
		rep.Types = []string{}
	}
	if rep.Columns == nil {
		rep.Columns = []Column{}
	}
	if rep.Unmapped == nil {
		rep.Unmapped = []string{}
	}
	if rep.FileInfo.Issues == nil {
		rep.FileInfo.Issues = []Issue{}
	}
	for i := range rep.Samples {
		if rep.Samples[i].Fields == nil {
			rep.Samples[i].Fields = []SampleField{}
		}
	}
}

func sampleOf(rec Record) Sample {
	s := Sample{Type: rec.Type, Line: rec.Line, SourceID: rec.SourceID, Skip: rec.Skip}
	t, _ := TypeByName(rec.Type)
	for _, f := range t.Fields {
		raw, ok := rec.Raw[f.Name]
		v := rec.Values[f.Name]
		var issues []string
		for _, i := range rec.Issues {
			if i.Field == f.Name {
				issues = append(issues, i.Type)
			}
		}
		if !ok && !v.Valid && len(issues) == 0 {
			continue
		}
		s.Fields = append(s.Fields, SampleField{Field: f.Name, Raw: clip(raw, 60), Value: clip(v.Text, 60), Valid: v.Valid, Issue: strings.Join(issues, ",")})
	}
	return s
}

// ErrorReason classifies an Open or Next error for messages in the user's
// language: empty, binary, legacy_xls, corrupt_xlsx, unrecognized,
// ambiguous, duplicate_header, missing_column, xlsx_limit, csv_limit, or io.
func ErrorReason(err error) string {
	for _, c := range []struct {
		err    error
		reason string
	}{
		{ErrEmpty, "empty"}, {ErrBinary, "binary"}, {ErrLegacyXLS, "legacy_xls"}, {ErrCorruptXLSX, "corrupt_xlsx"},
		{ErrUnrecognized, "unrecognized"}, {ErrAmbiguous, "ambiguous"}, {ErrDuplicate, "duplicate_header"},
		{ErrMissing, "missing_column"}, {ErrXLSXLimit, "xlsx_limit"}, {ErrLimit, "csv_limit"},
	} {
		if errors.Is(err, c.err) {
			return c.reason
		}
	}
	return "io"
}
