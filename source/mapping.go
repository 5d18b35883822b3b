package source

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/petfriendly/recon/source/normalize"
)

// Mapping is an operator's mapping file (--mapping, TOML): headers the type
// table does not know, extra vocabulary, and profiles forced per file. Keys
// are matched like headers (case, accents and punctuation ignored). See
// docs/okvet-format.md and testdata/source/mapping-example.toml.
type Mapping struct {
	Files   []FileRule                   `toml:"file"`
	Columns map[string]map[string]string `toml:"columns"` // type name -> their header -> canonical field
	// Ignore declares, per type, the headers the operator knows are not
	// migrated: their values stay in each record's source_data and no
	// column_not_migrated finding is raised for them.
	Ignore     map[string][]string `toml:"ignore"`
	Vocabulary Vocabulary          `toml:"vocabulary"`
}

// FileRule forces the profile and/or type of the files whose base name
// matches Name (a path.Match glob, case-insensitive).
type FileRule struct {
	Name    string `toml:"name"`
	Profile string `toml:"profile"`
	Type    string `toml:"type"`
	// Ignore declares headers of the matching files that are not migrated
	// (as Mapping.Ignore, for these files only).
	Ignore []string `toml:"ignore"`
	// Sheets names hidden sheets of matching workbooks to read all the same
	// (a hidden sheet is otherwise listed and never imported).
	Sheets []string `toml:"sheets"`
}

// Vocabulary extends the built-in vocabularies: their text -> canonical value.
type Vocabulary struct {
	Species  map[string]string `toml:"species"`  // "Pez" = "fish"
	Sex      map[string]string `toml:"sex"`      // a dump's gender_id: "1" = "male"
	Status   map[string]string `toml:"status"`   // appointment status: "Reprogramada" = "cancelled"
	Vaccines map[string]string `toml:"vaccines"` // vaccine catalogue id -> name: "7" = "Rabia"
}

// Profiles recon knows.
const (
	ProfileSeed     = "seed"           // the seed layout: one file per type, canonical or aliased headers
	ProfileMascotas = "okvet-mascotas" // OkVet's "Mascotas" report: pet + owner per row, no ids
	ProfileDump     = "okvet-dump"     // database table dumps: English columns, soft-deleted rows
)

// Profiles lists the profile names accepted by Options.Profile.
func Profiles() []string { return []string{ProfileSeed, ProfileMascotas, ProfileDump} }

func validProfile(p string) bool {
	for _, q := range Profiles() {
		if p == q {
			return true
		}
	}
	return false
}

// LoadMapping reads and checks a mapping file.
func LoadMapping(file string) (*Mapping, error) {
	var m Mapping
	md, err := toml.DecodeFile(file, &m)
	if err != nil {
		return nil, fmt.Errorf("mapping %s: %w", file, err)
	}
	if u := md.Undecoded(); len(u) > 0 {
		keys := make([]string, len(u))
		for i, k := range u {
			keys[i] = k.String()
		}
		return nil, fmt.Errorf("mapping %s: unknown keys %s", file, strings.Join(keys, ", "))
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("mapping %s: %w", file, err)
	}
	return &m, nil
}

// check reports every mistake at once so the operator fixes the file in one go.
func (m *Mapping) check() error {
	var errs []error
	for i, r := range m.Files {
		if r.Name == "" {
			errs = append(errs, fmt.Errorf("file rule %d: name is empty", i+1))
		} else if _, err := path.Match(strings.ToLower(r.Name), ""); err != nil {
			errs = append(errs, fmt.Errorf("file rule %q: %w", r.Name, err))
		}
		if r.Profile != "" && !validProfile(r.Profile) {
			errs = append(errs, fmt.Errorf("file rule %q: unknown profile %q (use %s)", r.Name, r.Profile, strings.Join(Profiles(), ", ")))
		}
		if _, ok := TypeByName(r.Type); r.Type != "" && !ok {
			errs = append(errs, fmt.Errorf("file rule %q: unknown type %q", r.Name, r.Type))
		}
	}
	for _, tn := range sortedKeys(m.Columns) {
		t, ok := TypeByName(tn)
		if !ok {
			errs = append(errs, fmt.Errorf("columns.%s: unknown type", tn))
			continue
		}
		for _, h := range sortedKeys(m.Columns[tn]) {
			if _, ok := t.Field(m.Columns[tn][h]); !ok {
				errs = append(errs, fmt.Errorf("columns.%s: %q maps to unknown field %q", tn, h, m.Columns[tn][h]))
			}
		}
	}
	for _, tn := range sortedKeys(m.Ignore) {
		if _, ok := TypeByName(tn); !ok {
			errs = append(errs, fmt.Errorf("ignore.%s: unknown type", tn))
		}
		for _, h := range m.Ignore[tn] {
			if normalize.Fold(h) == "" {
				errs = append(errs, fmt.Errorf("ignore.%s: empty header %q", tn, h))
			}
		}
	}
	for _, k := range sortedKeys(m.Vocabulary.Species) {
		if v := m.Vocabulary.Species[k]; !knownSpecies(v) {
			errs = append(errs, fmt.Errorf("vocabulary.species: %q maps to unknown species %q", k, v))
		}
	}
	for _, k := range sortedKeys(m.Vocabulary.Sex) {
		if v := m.Vocabulary.Sex[k]; !knownSex(v) {
			errs = append(errs, fmt.Errorf("vocabulary.sex: %q maps to unknown sex %q", k, v))
		}
	}
	for _, k := range sortedKeys(m.Vocabulary.Status) {
		if v := m.Vocabulary.Status[k]; !knownStatus(v) {
			errs = append(errs, fmt.Errorf("vocabulary.status: %q maps to unknown status %q", k, v))
		}
	}
	return errors.Join(errs...)
}

// rule returns the file rule matching the file's base name.
func (m *Mapping) rule(file string) (FileRule, bool) {
	if m == nil {
		return FileRule{}, false
	}
	base := strings.ToLower(path.Base(strings.ReplaceAll(file, "\\", "/")))
	for _, r := range m.Files {
		if ok, _ := path.Match(strings.ToLower(r.Name), base); ok {
			return r, true
		}
	}
	return FileRule{}, false
}

// column returns the field the mapping gives a folded header in a type.
func (m *Mapping) column(typ, folded string) (string, bool) {
	if m == nil {
		return "", false
	}
	return lookupFold(m.Columns[typ], folded)
}

// ignored reports whether the mapping declares a folded header of the file
// as not migrated, for one of the types the file feeds.
func (m *Mapping) ignored(file string, types []string, folded string) bool {
	if m == nil || folded == "" {
		return false
	}
	has := func(list []string) bool {
		for _, h := range list {
			if normalize.Fold(h) == folded {
				return true
			}
		}
		return false
	}
	if r, ok := m.rule(file); ok && has(r.Ignore) {
		return true
	}
	for _, tn := range types {
		if t, ok := TypeByName(tn); ok && has(m.Ignore[t.Name]) {
			return true
		}
	}
	return false
}

// hiddenSheet reports whether the mapping names a hidden sheet of the
// workbook to be read.
func (m *Mapping) hiddenSheet(file, sheet string) bool {
	r, ok := m.rule(file)
	if !ok {
		return false
	}
	for _, s := range r.Sheets {
		if normalize.Fold(s) == normalize.Fold(sheet) {
			return true
		}
	}
	return false
}

// word looks raw up in one vocabulary table.
func word(table map[string]string, raw string) (string, bool) {
	if len(table) == 0 {
		return "", false
	}
	return lookupFold(table, normalize.Fold(normalize.Clean(raw)))
}

func lookupFold(table map[string]string, folded string) (string, bool) {
	if folded == "" {
		return "", false
	}
	for k, v := range table {
		if normalize.Fold(k) == folded {
			return v, true
		}
	}
	return "", false
}

func (m *Mapping) vocab() Vocabulary {
	if m == nil {
		return Vocabulary{}
	}
	return m.Vocabulary
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
