package gen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// type indices, in TypeNames order.
const (
	tiClients = iota
	tiPets
	tiMedical
	tiVaccines
	tiAppointments
	tiProducts
	tiInvoices
	tiInvoiceItems
	tiDocuments
	numTypes
)

// Rows per type at scale 1 (invoice items are ~2.5 per invoice).
var baseRows = [numTypes]int{1234, 2456, 12345, 5678, 8901, 300, 6789, 0, 1500}

// ID prefixes and minimum widths of the numeric part.
var (
	idPrefix    = [numTypes]string{"C", "P", "H", "V", "A", "PR", "F", "FI", "D"}
	idBaseWidth = [numTypes]int{5, 5, 6, 6, 6, 4, 6, 7, 6}
)

// row outcomes
const (
	oImported uint8 = iota
	oMerged
	oRejected
	oOrphaned
)

// client facts
const (
	cliImported uint8 = iota // imported, may be a duplicate target
	cliTrap                  // imported, but holds another row's key: never a duplicate target
	cliDup                   // merged into cliSurv
	cliRejected
)

// pcgStream is the second PCG word; the first is the seed.
const pcgStream = 0x5eed_0c7e_7a11_2026

const (
	markerName   = ".recon-gen"
	expectedName = "expected.json"
	adjuntosDir  = "adjuntos"
)

// Generator writes one export. Create it with New; Run may be called more
// than once and always writes the same bytes.
type Generator struct {
	opts Options

	r    *rand.Rand
	salt uint64
	rows [numTypes]int // planned rows (items: upper bound, for the ID width)
	w    [numTypes]int // ID widths

	counts  [numTypes]TypeCounts
	defects [numDefects]int
	row     []val

	// Facts kept for later files: a few bytes per entity.
	cliStatus  []uint8
	cliSurv    []int32
	rejClients []int32
	petStatus  []uint8 // oImported, oRejected or oOrphaned
	petOwner   []int32 // raw owner client index, -1 when the id is unknown
	petGroup   []uint8 // species group, for vaccine names
	badPets    []int32 // pets that are not imported
	prodCat    []uint8
	prodPrice  []int64
	prodDup    []bool
}

// New validates opts and returns a generator.
func New(opts Options) (*Generator, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	return &Generator{opts: opts}, nil
}

// Generate writes the export described by opts and returns what it wrote
// to expected.json.
func Generate(ctx context.Context, opts Options) (Expected, error) {
	g, err := New(opts)
	if err != nil {
		return Expected{}, err
	}
	return g.Run(ctx)
}

func (g *Generator) reset() {
	seed := g.opts.Seed
	*g = Generator{opts: g.opts}
	g.r = rand.New(rand.NewPCG(seed, pcgStream))
	g.salt = mix64(seed ^ 0x0c0ffee0c0ffee)
	g.row = make([]val, 16)
	for t := range numTypes {
		g.rows[t] = scaled(baseRows[t], g.opts.Scale)
	}
	g.rows[tiInvoiceItems] = 5*g.rows[tiInvoices] + 100
	for t := range numTypes {
		g.w[t] = max(idBaseWidth[t], len(strconv.Itoa(g.rows[t])))
	}
}

// Run writes every file into opts.Out and returns the expectations.
func (g *Generator) Run(ctx context.Context) (Expected, error) {
	g.reset()
	if err := prepareDir(g.opts.Out); err != nil {
		return Expected{}, err
	}
	steps := []func(context.Context) error{
		g.genClients, g.genPets, g.genMedical, g.genVaccines, g.genAppointments,
		g.genProducts, g.genInvoices, g.genDocuments,
	}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return Expected{}, err
		}
	}
	exp := g.expected()
	if err := writeExpected(g.opts.Out, exp); err != nil {
		return Expected{}, err
	}
	return exp, nil
}

func (g *Generator) expected() Expected {
	exp := Expected{
		Seed:            g.opts.Seed,
		Scale:           g.opts.Scale,
		Variant:         g.opts.Variant,
		Types:           make(map[string]TypeCounts, numTypes),
		Defects:         make(map[string]int, numDefects),
		DestinationRows: make(map[string]int, numTypes),
	}
	for t, name := range TypeNames {
		c := g.counts[t]
		c.SourceRows = c.Sum()
		exp.Types[name] = c
		exp.DestinationRows[name] = c.Imported
	}
	for d, k := range defectKinds {
		exp.Defects[k.Name] = g.defects[d]
	}
	return exp
}

func writeExpected(dir string, exp Expected) error {
	b, err := json.MarshalIndent(exp, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", expectedName, err)
	}
	return writeFileAtomic(filepath.Join(dir, expectedName), append(b, '\n'))
}

func writeFileAtomic(path string, data []byte) error {
	tmp := partialName(path)
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// prepareDir creates dir, or empties it when it holds a previous generated
// export (marker file present and nothing but our own names). Any other
// content is an error: we never delete files we did not write, and a stale
// attachment could turn a "missing file" defect into a present one.
func prepareDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read %s: %w", dir, err)
	}
	if len(entries) > 0 {
		ours := map[string]bool{markerName: true, expectedName: true, adjuntosDir: true, partialName(expectedName): true}
		for _, v := range Variants {
			for _, f := range FileNames(v) {
				ours[f] = true
				ours[filepath.Base(partialName(f))] = true
			}
		}
		marked := false
		for _, e := range entries {
			if !ours[e.Name()] {
				return &Error{Code: CodeForeignFile, Path: dir, Name: e.Name()}
			}
			marked = marked || e.Name() == markerName || e.Name() == expectedName
		}
		if !marked {
			return &Error{Code: CodeNoMarker, Path: dir}
		}
		for _, e := range entries {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("clean %s: %w", dir, err)
			}
		}
	}
	if err := os.WriteFile(filepath.Join(dir, markerName), []byte("generated by recon gen; this folder is rewritten by the next run\n"), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Join(dir, markerName), err)
	}
	if err := os.Mkdir(filepath.Join(dir, adjuntosDir), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Join(dir, adjuntosDir), err)
	}
	return nil
}

// table writing helpers

type tableRun struct {
	g    *Generator
	s    sink
	done bool
}

func (g *Generator) open(t table) (*tableRun, error) {
	s, err := openSink(g.opts.Out, g.opts.Variant, t)
	if err != nil {
		return nil, err
	}
	return &tableRun{g: g, s: s}, nil
}

// emit writes one row; vals is copied into the generator's scratch row so
// that it does not escape.
func (tr *tableRun) emit(vals ...val) error {
	n := copy(tr.g.row, vals)
	return tr.s.write(tr.g.row[:n])
}

func (tr *tableRun) commit() error {
	tr.done = true
	return tr.s.commit()
}

// close aborts the table unless committed; for defer.
func (tr *tableRun) close() {
	if !tr.done {
		tr.s.abort()
	}
}

func checkCtx(ctx context.Context, i int) error {
	if i&1023 == 0 {
		return ctx.Err()
	}
	return nil
}

// outcome and defect accounting

func (g *Generator) count(t int, o uint8) {
	c := &g.counts[t]
	switch o {
	case oImported:
		c.Imported++
	case oMerged:
		c.MergedDuplicates++
	case oRejected:
		c.Rejected++
	case oOrphaned:
		c.Orphaned++
	}
}

func (g *Generator) hit(d int) { g.defects[d]++ }

// scaled is n rows at scale s, rounded: integer scales give exact multiples.
func scaled(n int, s float64) int { return int(math.Round(float64(n) * s)) }

// pick draws the defect choice of row i of n: 0 for none, k+1 for the k-th
// rate. Rows n/4, n/4+3, n/4+6... are forced to each kind in turn so that
// every kind occurs at least once even at scale 1.
func (g *Generator) pick(i, n int, rates []float64) int {
	u := g.r.Float64()
	if base := n / 4; i >= base && (i-base)%3 == 0 && (i-base)/3 < len(rates) {
		return (i-base)/3 + 1
	}
	acc := 0.0
	for k, p := range rates {
		acc += p
		if u < acc {
			return k + 1
		}
	}
	return 0
}

// late reports whether row i of n must carry defect d because none has yet
// and the last quarter of the file has begun: chance-driven kinds then
// occur even in a tiny export. At scale 1 every kind has occurred by then,
// so the files stay as they were.
func (g *Generator) late(d, i, n int) bool { return g.defects[d] == 0 && i >= n-n/4 }

// random helpers

func (g *Generator) intn(n int) int           { return g.r.IntN(n) }
func (g *Generator) chance(p float64) bool    { return g.r.Float64() < p }
func (g *Generator) style() uint8             { return uint8(g.r.IntN(numStyles)) }
func (g *Generator) one(list []string) string { return list[g.r.IntN(len(list))] }

func (g *Generator) dateBetween(from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours() / 24)
	return from.AddDate(0, 0, g.r.IntN(days+1))
}

func (g *Generator) dateVal(from, to time.Time) val {
	return date(g.dateBetween(from, to), g.style())
}

func ymd(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// IDs

func (g *Generator) id(t, i int) string { return idPrefix[t] + pad(i+1, g.w[t]) }

// unknownID returns an ID of type t that no row has: either a well-formed
// number beyond the last row or an existing number with a stray letter.
func (g *Generator) unknownID(t int) string {
	room := pow10(g.w[t]) - 1 - g.rows[t]
	if room >= 100 && g.r.IntN(2) == 0 {
		return idPrefix[t] + pad(g.rows[t]+1+g.r.IntN(room), g.w[t])
	}
	return idPrefix[t] + pad(1+g.r.IntN(max(1, g.rows[t])), g.w[t]) + "x"
}

func pad(n, w int) string {
	s := strconv.Itoa(n)
	if len(s) < w {
		s = strings.Repeat("0", w-len(s)) + s
	}
	return s
}

func pow10(n int) int {
	p := 1
	for range n {
		p *= 10
	}
	return p
}

// picking related rows

// pickClient returns a client that is not rejected.
func (g *Generator) pickClient() int {
	for {
		c := g.r.IntN(len(g.cliStatus))
		if g.cliStatus[c] != cliRejected {
			return c
		}
	}
}

// pickRejectedClient returns a rejected client, or -1 if there is none.
func (g *Generator) pickRejectedClient() int {
	if len(g.rejClients) == 0 {
		return -1
	}
	return int(g.rejClients[g.r.IntN(len(g.rejClients))])
}

// pickPet returns an imported pet.
func (g *Generator) pickPet() int {
	for {
		p := g.r.IntN(len(g.petStatus))
		if g.petStatus[p] == oImported {
			return p
		}
	}
}

// pickBadPet returns a pet that is not imported, or -1 if there is none.
func (g *Generator) pickBadPet() int {
	if len(g.badPets) == 0 {
		return -1
	}
	return int(g.badPets[g.r.IntN(len(g.badPets))])
}

// surv returns the client a client's rows attach to after merging.
func (g *Generator) surv(c int) int { return int(g.cliSurv[c]) }

// deterministic per-entity hashing (identity of client i can be recomputed
// when a later duplicate row needs it, without storing it)

func mix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

type splitmix struct{ s uint64 }

func (x *splitmix) next() uint64 {
	x.s += 0x9e3779b97f4a7c15
	z := x.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (x *splitmix) intn(n int) int { return int(x.next() % uint64(n)) }

func (x *splitmix) one(list []string) string { return list[x.intn(len(list))] }

// perm is a bijection of [0, mod) when a is coprime with mod: distinct
// entity indices get distinct numbers, so phones and documents never
// collide by accident.
func perm(i int, a, off, mod uint64) uint64 { return (uint64(i)*a + off) % mod }

// foldReplacer lower-cases and strips Spanish accents for e-mail local parts.
var foldReplacer = strings.NewReplacer(
	"á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ü", "u", "ñ", "n",
	"Á", "a", "É", "e", "Í", "i", "Ó", "o", "Ú", "u", "Ü", "u", "Ñ", "n",
)

func foldASCII(s string) string { return strings.ToLower(foldReplacer.Replace(s)) }

func firstWord(s string) string {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}

// attachment bytes

func (g *Generator) attachment(name string, pdf bool) []byte {
	size := 1500 + g.r.IntN(1100)
	var b bytes.Buffer
	b.Grow(size + 64)
	if pdf {
		b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
		b.WriteString("% OkVet documento " + name + "\n")
		for b.Len() < size-8 {
			b.WriteString("% ")
			for range 32 {
				b.WriteByte("0123456789abcdef"[g.r.IntN(16)])
			}
			b.WriteByte('\n')
		}
		b.WriteString("%%EOF\n")
		return b.Bytes()
	}
	b.Write([]byte{0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0})
	b.Write([]byte{0xff, 0xfe, 0x00, byte(2 + len(name))})
	b.WriteString(name)
	for b.Len() < size-2 {
		b.WriteByte(byte(g.r.IntN(255))) // never 0xff: no stray markers
	}
	b.Write([]byte{0xff, 0xd9})
	return b.Bytes()
}
