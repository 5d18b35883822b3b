package source

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/petfriendly/recon/source/normalize"
)

// headerScan is how many leading rows may hold titles above the header.
const headerScan = 20

// Column describes one column of the file: its header and the canonical
// field it feeds (Field == "" when unmapped).
type Column struct {
	Index  int    `json:"index"` // 1-based
	Header string `json:"header"`
	Type   string `json:"type,omitempty"`
	Field  string `json:"field,omitempty"`
	Note   string `json:"note,omitempty"` // why a column is not mapped, or what it is used for
	// Competes is, for a shadowed column, the field another column feeds
	// instead, and CompetesWith that column's header: two columns competing
	// for one field are a finding, never a silent choice.
	Competes     string `json:"competes,omitempty"`
	CompetesWith string `json:"competes_with,omitempty"`
	// Ignored: the mapping file declares the column not migrated; its
	// values stay in each record's source_data.
	Ignored bool `json:"ignored,omitempty"`
	// Filled counts the non-empty cells of a column that feeds no field,
	// and Sample is the first of them; final once Next has returned io.EOF.
	Filled int    `json:"filled,omitempty"`
	Sample string `json:"sample,omitempty"`
	// Status is where the column went (Column* constants), set by Info.
	Status string `json:"status"`
	// Sheet is the workbook sheet the column belongs to.
	Sheet string `json:"sheet,omitempty"`
	// echo: the column of a report sheet read once per type, accounted by
	// the Reader of its last type.
	echo bool
}

// Where a column went (Column.Status).
const (
	ColumnMapped      = "mapped"       // feeds a field
	ColumnIgnored     = "ignored"      // declared not migrated by the mapping file; kept in source_data
	ColumnNotKept     = "not_kept"     // a known report column recon does not keep (Actualizado)
	ColumnSoftDelete  = "soft_delete"  // deleted_at: marks rows skipped
	ColumnEmpty       = "empty"        // feeds nothing, and no cell holds a value
	ColumnNotMigrated = "not_migrated" // feeds nothing although cells hold values: a finding
	ColumnConflict    = "conflict"     // competes with another column for a field: a finding
)

// status says where the column went.
func (c Column) status() string {
	switch {
	case c.Field != "":
		return ColumnMapped
	case c.Note == NoteSoftDelete:
		return ColumnSoftDelete
	case c.Ignored:
		return ColumnIgnored
	case c.Note == NoteNotKept:
		return ColumnNotKept
	case c.Filled == 0:
		return ColumnEmpty
	case c.Competes != "":
		return ColumnConflict
	}
	return ColumnNotMigrated
}

// Unaccounted reports whether the column holds values that reach no field
// and that the mapping file does not declare as not migrated.
func (c Column) Unaccounted() bool {
	if c.echo {
		return false
	}
	s := c.status()
	return s == ColumnNotMigrated || s == ColumnConflict
}

// IssueColumnNotMigrated is the file-level finding (and import warning) for
// a column whose values reach no field: one per column per file, with the
// number of non-empty cells and a sample.
const IssueColumnNotMigrated = "column_not_migrated"

// Column notes.
const (
	NoteSoftDelete = "soft_delete_marker" // deleted_at: rows with a value are skipped
	NoteShadowed   = "shadowed"           // another column already feeds the field
	NoteUnnamed    = "unnamed"            // empty header cell
	NoteNotKept    = "not_kept"           // known column with no destination
)

// binding is one type a file feeds and which column holds each field.
type binding struct {
	typ  Type
	cols map[string][]int // field -> 0-based columns (several only for composed report fields)
}

// layout is what header detection decides about a file.
type layout struct {
	profile   string
	header    []string
	headerRow int // index in the read-ahead rows
	parts     []binding
	columns   []Column
	deletedAt int // column of deleted_at, -1 if none
}

// candidate is a possible reading of one row as a header.
type candidate struct {
	profile string
	parts   []binding
	columns []Column
	score   int
	missing []string // required fields absent: not a valid reading
	named   bool     // the file name names the type
	err     error    // duplicated header
}

// fileMatches reports whether a folded file or sheet name names one of a
// type's Files: "clientes", "clientes_2024", "export_clientes".
func fileMatches(folded string, files []string) bool {
	padded := "_" + folded + "_"
	for _, f := range files {
		if strings.Contains(padded, "_"+normalize.Fold(f)+"_") {
			return true
		}
	}
	return false
}

// TypeForFileName is the type a file's name says it holds ("mascotas.csv",
// "clientes_2024.xlsx"), whatever its content; false when the name names
// none, or several.
func TypeForFileName(path string) (Type, bool) {
	var found []Type
	for _, t := range Types() {
		if fileMatches(baseName(path), t.Files) {
			found = append(found, t)
		}
	}
	if len(found) != 1 {
		return Type{}, false
	}
	return found[0], true
}

// baseName folds a file name without its extension.
func baseName(file string) string {
	b := filepath.Base(file)
	return normalize.Fold(strings.TrimSuffix(b, filepath.Ext(b)))
}

// fieldMatch is the field a folded header names and its priority (lower
// wins): mapping file 0, canonical name 1, aliases 2, 3...
type fieldMatch struct {
	field string
	prio  int
}

// foldIndex maps every folded name and alias of t's fields to its field;
// built once per file, as folding is the costly part of matching.
func foldIndex(t Type) map[string]fieldMatch {
	idx := map[string]fieldMatch{}
	put := func(name, field string, prio int) {
		if k := normalize.Fold(name); idx[k].field == "" {
			idx[k] = fieldMatch{field, prio}
		}
	}
	for _, f := range t.Fields {
		put(f.Name, f.Name, 1)
		for j, a := range f.Aliases {
			put(a, f.Name, 2+j)
		}
	}
	return idx
}

// bindType maps header cells to one type's fields. A mapping-file entry wins
// over the field's canonical name, which wins over its aliases in order; a
// column that loses is shadowed (reported, not read).
func bindType(t Type, idx map[string]fieldMatch, folded []string, m *Mapping) (binding, []Column) {
	b := binding{typ: t, cols: map[string][]int{}}
	cols := make([]Column, len(folded))
	prio := map[string]int{}
	for i, h := range folded {
		cols[i] = Column{Index: i + 1}
		if h == "" {
			cols[i].Note = NoteUnnamed
			continue
		}
		fm, ok := idx[h]
		if f, mapped := m.column(t.Name, h); mapped {
			fm, ok = fieldMatch{f, 0}, true
		}
		if !ok {
			continue
		}
		f, p := fm.field, fm.prio
		if old, taken := b.cols[f]; taken {
			if prio[f] <= p {
				cols[i].Note, cols[i].Competes = NoteShadowed, f
				continue
			}
			cols[old[0]] = Column{Index: old[0] + 1, Note: NoteShadowed, Competes: f}
		}
		b.cols[f], prio[f] = []int{i}, p
		cols[i].Type, cols[i].Field = t.Name, f
	}
	return b, cols
}

// duplicateHeader finds two non-empty header cells with the same folded name.
func duplicateHeader(header, folded []string) error {
	seen := map[string]int{}
	for i, h := range folded {
		if h == "" {
			continue
		}
		if j, ok := seen[h]; ok {
			return fmt.Errorf("%w %q in columns %d (%q) and %d (%q)", ErrDuplicate, header[i], j+1, header[j], i+1, header[i])
		}
		seen[h] = i
	}
	return nil
}

// seedCandidate reads the row as a header of type t (seed or dump profile).
func seedCandidate(t Type, idx map[string]fieldMatch, header, folded []string, file string, m *Mapping) candidate {
	b, cols := bindType(t, idx, folded, m)
	c := candidate{profile: ProfileSeed, parts: []binding{b}, columns: cols, score: len(b.cols)}
	for _, f := range t.Fields {
		if _, ok := b.cols[f.Name]; f.Required && !ok {
			c.missing = append(c.missing, f.Name)
		}
	}
	for i, h := range folded {
		// Laravel timestamps and English foreign keys (pet_id, vet_id; the
		// seed layout writes id_paciente) mark a database dump.
		if h == "deleted_at" || h == "updated_at" || strings.HasSuffix(h, "_id") {
			c.profile = ProfileDump
		}
		if h == "deleted_at" && c.columns[i].Field == "" {
			c.columns[i].Note = NoteSoftDelete
		}
	}
	c.named = fileMatches(baseName(file), t.Files)
	c.err = duplicateHeader(header, folded)
	return c
}

// mascotasCandidate reads the row as the header of OkVet's Mascotas report.
// Its signature is the pair "Nombre" (pet) and "Nombres" (owner) plus the
// species and an owner identity column.
func mascotasCandidate(header, folded []string, m *Mapping) candidate {
	clients, _ := TypeByName("clients")
	pets, _ := TypeByName("pets")
	parts := []binding{{typ: clients, cols: map[string][]int{}}, {typ: pets, cols: map[string][]int{}}}
	c := candidate{profile: ProfileMascotas, columns: make([]Column, len(folded))}
	report := MascotasReport()
	reportKeys := make([]string, len(report))
	for i, rc := range report {
		reportKeys[i] = normalize.Fold(rc.Header)
	}
	known := map[string]bool{}
	for i, h := range folded {
		c.columns[i] = Column{Index: i + 1}
		if h == "" {
			c.columns[i].Note = NoteUnnamed
			continue
		}
		typ, field := "", ""
		for _, p := range parts { // a mapping file may route any header
			if f, ok := m.column(p.typ.Name, h); ok {
				typ, field = p.typ.Name, f
				break
			}
		}
		for k, rc := range report {
			if field == "" && reportKeys[k] == h {
				known[h] = true
				typ, field = rc.Type, rc.Field
				if field == "" {
					c.columns[i].Note = NoteNotKept
				}
			}
		}
		if field == "" {
			continue
		}
		for _, p := range parts {
			if p.typ.Name == typ {
				p.cols[field] = append(p.cols[field], i)
			}
		}
		c.columns[i].Type, c.columns[i].Field = typ, field
		c.score++
	}
	c.parts = parts
	for _, need := range []string{"nombre", "nombres", "especie"} {
		if !known[need] {
			c.missing = append(c.missing, need)
		}
	}
	if !known["ident"] && !known["celular"] {
		c.missing = append(c.missing, "ident")
	}
	c.err = duplicateHeader(header, folded)
	return c
}

// detect chooses the header row among the read-ahead rows and the profile
// and type(s) it implies. The best-scoring valid reading wins; a file name
// naming the type breaks ties. Forcing a profile or type narrows the search.
func detect(rows []rawRow, file string, opts Options) (layout, error) {
	profile, typ := opts.Profile, opts.Type
	if r, ok := opts.Mapping.rule(file); ok {
		if profile == "" {
			profile = r.Profile
		}
		if typ == "" {
			typ = r.Type
		}
	}
	if profile != "" && !validProfile(profile) {
		return layout{headerRow: -1}, fmt.Errorf("unknown profile %q (use %s)", profile, strings.Join(Profiles(), ", "))
	}
	types, report := Types(), profile == "" || profile == ProfileMascotas
	if typ != "" {
		t, ok := TypeByName(typ)
		if !ok {
			return layout{headerRow: -1}, fmt.Errorf("unknown type %q", typ)
		}
		types = []Type{t}
		report = report && slices.ContainsFunc(MascotasReport(), func(c ReportColumn) bool { return c.Type == t.Name })
	}

	indexes := make([]map[string]fieldMatch, len(types))
	for i, t := range types {
		indexes[i] = foldIndex(t)
	}
	var best, nearest *candidate
	bestRow, nearestRow := -1, -1
	var tied []string
	for ri, row := range rows {
		folded := make([]string, len(row.cells))
		for i, h := range row.cells {
			folded[i] = normalize.Fold(h)
		}
		var cands []candidate
		if report {
			cands = append(cands, mascotasCandidate(row.cells, folded, opts.Mapping))
		}
		if profile != ProfileMascotas {
			for i, t := range types {
				c := seedCandidate(t, indexes[i], row.cells, folded, file, opts.Mapping)
				if profile != "" {
					c.profile = profile
				}
				cands = append(cands, c)
			}
		}
		for i := range cands {
			c := &cands[i]
			min := 2
			if typ != "" {
				min = 1
			}
			if c.score < min {
				continue
			}
			if len(c.missing) > 0 {
				if nearest == nil || c.score > nearest.score {
					nearest, nearestRow = c, ri
				}
				continue
			}
			switch {
			case best == nil || rank(c) > rank(best):
				best, bestRow, tied = c, ri, nil
			case ri == bestRow && rank(c) == rank(best):
				tied = append(tied, c.parts[0].typ.Name)
			}
		}
	}
	switch {
	case nearest != nil && (best == nil || nearest.score > best.score):
		// A reading that fits far better but lacks a required column says
		// more than a weak valid one: report what is missing.
		names := make([]string, len(nearest.missing))
		for i, f := range nearest.missing {
			names[i] = f
			if t := nearest.parts[0].typ; nearest.profile != ProfileMascotas {
				if fd, ok := t.Field(f); ok && len(fd.Aliases) > 0 {
					names[i] = fmt.Sprintf("%s (or %s)", f, strings.Join(fd.Aliases, ", "))
				}
			}
		}
		what := nearest.parts[0].typ.Name
		if nearest.profile == ProfileMascotas {
			what = "okvet-mascotas report"
		}
		return layout{headerRow: nearestRow, header: rows[nearestRow].cells}, fmt.Errorf("%w for %s: %s", ErrMissing, what, strings.Join(names, ", "))
	case best == nil:
		return layout{headerRow: -1}, ErrUnrecognized
	case best.err != nil:
		return layout{headerRow: bestRow, header: rows[bestRow].cells}, best.err
	case len(tied) > 0:
		names := append([]string{best.parts[0].typ.Name}, tied...)
		sort.Strings(names)
		return layout{headerRow: bestRow, header: rows[bestRow].cells},
			fmt.Errorf("%w: %s (name the file after its type, or force it with a mapping file rule)", ErrAmbiguous, strings.Join(names, ", "))
	}
	l := layout{profile: best.profile, header: rows[bestRow].cells, headerRow: bestRow, parts: best.parts, columns: best.columns, deletedAt: -1}
	var fed []string
	for _, p := range l.parts {
		fed = append(fed, p.typ.Name)
	}
	for i := range l.columns {
		l.columns[i].Header = l.header[i]
		folded := normalize.Fold(l.header[i])
		if folded == "deleted_at" && l.columns[i].Field == "" && l.profile != ProfileMascotas {
			l.deletedAt = i
			l.columns[i].Note = NoteSoftDelete
		}
		if l.columns[i].Field == "" && opts.Mapping.ignored(file, fed, folded) {
			l.columns[i].Ignored = true
		}
	}
	for i, c := range l.columns {
		if c.Competes == "" {
			continue
		}
		for _, p := range l.parts {
			if idx, ok := p.cols[c.Competes]; ok && len(idx) > 0 {
				l.columns[i].CompetesWith = l.header[idx[0]]
			}
		}
	}
	return l, nil
}

// rank orders readings: mapped columns, plus a bonus for each required
// reference present (a pets file is recognised by its owner column even when
// its other headers would fit clients) and for a file name naming the type.
// The report profile wins a tie with the generic one.
func rank(c *candidate) int {
	r := c.score * 2
	if c.profile == ProfileMascotas {
		return r + 1
	}
	for _, f := range c.parts[0].typ.Fields {
		if _, ok := c.parts[0].cols[f.Name]; ok && f.Required && f.Kind == KindRef {
			r += 4
		}
	}
	if c.named {
		r += 4
	}
	return r
}
