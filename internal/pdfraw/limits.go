package pdfraw

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
)

// The PDF library that checks signatures reads nested arrays and
// dictionaries by recursion and sizes its tables from the file's counts, so
// a hostile file can overflow the stack (a fatal error, not a panic) or
// exhaust memory. CheckLimits reads the file first, iteratively and in
// constant memory beyond the object streams it inflates, and refuses what
// goes beyond the limits.

// Limits bound what a PDF may ask of its reader.
type Limits struct {
	MaxBytes    int64 // the file's size
	MaxDepth    int   // arrays and dictionaries inside one another
	MaxObjects  int64 // object numbers: /Size, xref entries, objects defined
	MaxInflated int64 // bytes of object and xref streams once decompressed, in all
}

// DefaultLimits fit any approval recon writes (a few hundred objects, a few
// hundred KiB) many times over.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 64 << 20, MaxDepth: 256, MaxObjects: 500_000, MaxInflated: 64 << 20}
}

// LimitKind names the limit a PDF went beyond.
type LimitKind string

const (
	LimitSize     LimitKind = "size"     // the file is larger than MaxBytes
	LimitDepth    LimitKind = "depth"    // nesting deeper than MaxDepth
	LimitObjects  LimitKind = "objects"  // more objects than MaxObjects
	LimitInflated LimitKind = "inflated" // streams inflating beyond MaxInflated
	LimitLoop     LimitKind = "loop"     // object streams extending one another in a loop (Value: one of them)
)

// LimitError is a PDF refused for going beyond a limit: what, where (a byte
// offset in the file) and the value against the limit.
type LimitError struct {
	Kind   LimitKind
	Offset int64
	Value  int64 // how far it went (at least Limit+1), or -1 when too large to count
	Limit  int64
}

func (e *LimitError) Error() string {
	switch e.Kind {
	case LimitSize:
		return fmt.Sprintf("pdf: the file has %d bytes, more than the %d allowed", e.Value, e.Limit)
	case LimitDepth:
		return fmt.Sprintf("pdf: arrays or dictionaries nested more than %d levels deep at byte %d", e.Limit, e.Offset)
	case LimitObjects:
		return fmt.Sprintf("pdf: more than %d objects (at byte %d)", e.Limit, e.Offset)
	case LimitLoop:
		return fmt.Sprintf("pdf: object streams extend one another in a loop (object %d)", e.Value)
	default:
		return fmt.Sprintf("pdf: compressed streams inflate to more than %d bytes (at byte %d)", e.Limit, e.Offset)
	}
}

var (
	reObjStm   = regexp.MustCompile(`/Type\s*/ObjStm\b`)
	reXRefType = regexp.MustCompile(`/Type\s*/XRef\b`)
	reFlate    = regexp.MustCompile(`/Filter\s*(\[\s*)?/FlateDecode\b`)
	reW        = regexp.MustCompile(`/W\s*\[([^\]]*)\]`)
	reIndex    = regexp.MustCompile(`/Index\s*\[([^\]]*)\]`)
	reNumber   = regexp.MustCompile(`\d+`)
	reExtends  = regexp.MustCompile(`/Extends\s+(\d+)\s+\d+\s+R\b`)
)

// CheckLimits reads b as a sequence of PDF tokens and returns a
// *LimitError when it goes beyond lim. It does not judge whether b is a
// well-formed PDF: that is the reader's work once the file is known to be
// safe to read.
func CheckLimits(b []byte, lim Limits) error {
	if int64(len(b)) > lim.MaxBytes {
		return &LimitError{Kind: LimitSize, Value: int64(len(b)), Limit: lim.MaxBytes}
	}
	s := &scanner{lim: lim, inflateLeft: lim.MaxInflated, extends: map[int64]int64{}}
	if err := s.scan(b, 0, true); err != nil {
		return err
	}
	// The reader follows /Extends from object stream to object stream
	// without remembering where it has been: a loop would never end.
	for start := range s.extends {
		at, seen := start, map[int64]bool{}
		for {
			next, ok := s.extends[at]
			if !ok {
				break
			}
			if seen[at] {
				return &LimitError{Kind: LimitLoop, Value: start, Limit: 0}
			}
			seen[at], at = true, next
		}
	}
	// An xref entry may point inside a stream's data, which the scan above
	// skipped: read each such object on its own, within a budget of
	// bytes so that many of them cannot make the check slow.
	budget := 4 * int64(len(b))
	for _, off := range s.offsets {
		if !s.inSkipped(off) {
			continue
		}
		n, err := s.scanObject(b, off)
		if err != nil {
			return err
		}
		if budget -= n; budget < 0 {
			return &LimitError{Kind: LimitObjects, Offset: off, Value: -1, Limit: lim.MaxObjects}
		}
	}
	return nil
}

type scanner struct {
	lim         Limits
	objects     int64
	inflateLeft int64
	extends     map[int64]int64 // object stream → the one it extends
	offsets     []int64         // where the xref entries say objects start
	skipped     [][2]int64      // stream data not scanned, [start, end)
}

func (s *scanner) inSkipped(off int64) bool {
	for _, r := range s.skipped {
		if off >= r[0] && off < r[1] {
			return true
		}
	}
	return false
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

// scan reads b, which starts at file offset base. top is true for the file
// itself, false for an object stream's inflated content (no streams,
// xref tables or further object streams inside).
func (s *scanner) scan(b []byte, base int64, top bool) error {
	depth, objStart := 0, 0
	var prev, prev2 []byte // the tokens before: "/Size N", "N 0 obj"
	objNum := int64(-1)
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case isSpace(c):
			i++
			continue
		case c == '%':
			for i < len(b) && b[i] != '\n' && b[i] != '\r' {
				i++
			}
			continue
		case c == '(':
			i = skipLiteral(b, i)
			prev2, prev = prev, nil
			continue
		case c == '<' && i+1 < len(b) && b[i+1] == '<', c == '[':
			if depth++; depth > s.lim.MaxDepth {
				return &LimitError{Kind: LimitDepth, Offset: base + int64(i), Value: int64(depth), Limit: int64(s.lim.MaxDepth)}
			}
			if c == '<' {
				i++
			}
			i++
			prev2, prev = prev, nil
			continue
		case c == '>' && i+1 < len(b) && b[i+1] == '>', c == ']':
			if depth > 0 {
				depth--
			}
			if c == '>' {
				i++
			}
			i++
			prev2, prev = prev, nil
			continue
		case c == '<':
			for i < len(b) && b[i] != '>' {
				i++
			}
			i++
			prev2, prev = prev, nil
			continue
		case isDelim(c) && c != '/':
			i++
			continue
		}
		// A name or a regular token.
		j := i + 1
		for j < len(b) && !isSpace(b[j]) && !isDelim(b[j]) {
			j++
		}
		tok := b[i:j]
		if err := s.checkCount(prev, tok, base+int64(i)); err != nil {
			return err
		}
		switch {
		case string(tok) == "obj" && top:
			objStart = i
			objNum = -1
			if n, err := strconv.ParseInt(string(prev2), 10, 64); err == nil {
				objNum = n
			}
			depth = 0
			if s.objects++; s.objects > s.lim.MaxObjects {
				return &LimitError{Kind: LimitObjects, Offset: base + int64(i), Value: s.objects, Limit: s.lim.MaxObjects}
			}
		case string(tok) == "stream" && top:
			end, err := s.stream(b, objStart, j, base, objNum)
			if err != nil {
				return err
			}
			j, depth = end, 0
		case string(tok) == "xref" && top:
			end, err := s.xref(b, j, base)
			if err != nil {
				return err
			}
			j = end
		}
		i = j
		prev2, prev = prev, tok
	}
	return nil
}

// checkCount refuses a /Size or /N (objects in an object stream) larger
// than the objects allowed: the reader sizes tables from them.
func (s *scanner) checkCount(prev, tok []byte, at int64) error {
	if string(prev) != "/Size" && string(prev) != "/N" {
		return nil
	}
	// Only a whole number counts objects (/N is also a float in functions).
	for _, c := range tok {
		if c < '0' || c > '9' {
			return nil
		}
	}
	if len(tok) == 0 {
		return nil
	}
	n, err := strconv.ParseInt(string(tok), 10, 64)
	if err != nil {
		return &LimitError{Kind: LimitObjects, Offset: at, Value: -1, Limit: s.lim.MaxObjects}
	}
	if n > s.lim.MaxObjects {
		return &LimitError{Kind: LimitObjects, Offset: at, Value: n, Limit: s.lim.MaxObjects}
	}
	return nil
}

// skipLiteral returns the index after the literal string starting at
// b[i] == '(': balanced parentheses, backslash escapes.
func skipLiteral(b []byte, i int) int {
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return len(b)
}

var reDirectLength = regexp.MustCompile(`/Length\s+(\d+)\b(\s+\d+\s+R\b)?`)

// stream skips the data of the stream whose keyword ends at b[at]; dict is
// b[objStart:at]. Object streams are inflated and their content scanned;
// xref streams' field widths and index are checked. It returns where to go
// on: after "endstream", or after the data when that is not found.
func (s *scanner) stream(b []byte, objStart, at int, base int64, num int64) (int, error) {
	dict := b[objStart:at]
	start := at
	if start < len(b) && b[start] == '\r' {
		start++
	}
	if start < len(b) && b[start] == '\n' {
		start++
	}
	end := -1
	if m := reDirectLength.FindSubmatch(dict); m != nil && m[2] == nil {
		if n, err := strconv.Atoi(string(m[1])); err == nil && n >= 0 && n <= len(b)-start {
			end = start + n
		}
	}
	if end < 0 {
		k := bytes.Index(b[start:], []byte("endstream"))
		if k < 0 {
			k = len(b) - start
		}
		end = start + k
	}
	s.skipped = append(s.skipped, [2]int64{base + int64(start), base + int64(end)})
	data := b[start:end]
	isObjStm, isXRef := reObjStm.Match(dict), reXRefType.Match(dict)
	if m := reExtends.FindSubmatch(dict); isObjStm && m != nil && num >= 0 {
		if n, err := strconv.ParseInt(string(m[1]), 10, 64); err == nil {
			s.extends[num] = n
		}
	}
	if isXRef {
		if err := s.checkXRefDict(dict, base+int64(objStart)); err != nil {
			return 0, err
		}
	}
	if (isObjStm || isXRef) && reFlate.Match(dict) {
		inflated, err := s.inflate(data, base+int64(start))
		if err != nil {
			return 0, err
		}
		data = inflated
	}
	if isObjStm {
		if err := s.scan(data, base+int64(start), false); err != nil {
			// Offsets inside inflated data mean nothing in the file: name
			// the object stream's data instead.
			var le *LimitError
			if errors.As(err, &le) {
				le.Offset = base + int64(start)
			}
			return 0, err
		}
	}
	if isXRef {
		s.xrefStreamOffsets(dict, data)
	}
	if k := bytes.Index(b[end:], []byte("endstream")); k >= 0 && k < 64 {
		return end + k + len("endstream"), nil
	}
	return end, nil
}

// inflate decompresses data within what is left of the inflation budget.
func (s *scanner) inflate(data []byte, at int64) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, nil // not a stream the reader can inflate either
	}
	// A damaged stream is not refused here: what inflated is scanned, and
	// the reader reports the damage.
	out, _ := io.ReadAll(io.LimitReader(zr, s.inflateLeft+1))
	if int64(len(out)) > s.inflateLeft {
		return nil, &LimitError{Kind: LimitInflated, Offset: at, Value: -1, Limit: s.lim.MaxInflated}
	}
	s.inflateLeft -= int64(len(out))
	return out, nil
}

// checkXRefDict refuses field widths and subsection counts the reader
// would allocate from.
func (s *scanner) checkXRefDict(dict []byte, at int64) error {
	if m := reW.FindSubmatch(dict); m != nil {
		for _, w := range reNumber.FindAll(m[1], -1) {
			if n, err := strconv.Atoi(string(w)); err != nil || n > 8 {
				return &LimitError{Kind: LimitObjects, Offset: at, Value: -1, Limit: s.lim.MaxObjects}
			}
		}
	}
	if m := reIndex.FindSubmatch(dict); m != nil {
		var total int64
		for _, w := range reNumber.FindAll(m[1], -1) {
			n, err := strconv.ParseInt(string(w), 10, 64)
			if err != nil || n > s.lim.MaxObjects {
				return &LimitError{Kind: LimitObjects, Offset: at, Value: -1, Limit: s.lim.MaxObjects}
			}
			if total += n; total > 2*s.lim.MaxObjects {
				return &LimitError{Kind: LimitObjects, Offset: at, Value: total, Limit: s.lim.MaxObjects}
			}
		}
	}
	return nil
}

// xrefStreamOffsets records the file offsets of an xref stream's type-1
// entries, when its widths are readable.
func (s *scanner) xrefStreamOffsets(dict, data []byte) {
	m := reW.FindSubmatch(dict)
	if m == nil {
		return
	}
	var w []int
	for _, x := range reNumber.FindAll(m[1], -1) {
		n, _ := strconv.Atoi(string(x))
		w = append(w, n)
	}
	if len(w) != 3 || w[0]+w[1]+w[2] == 0 {
		return
	}
	field := func(p []byte) int64 {
		var v int64
		for _, c := range p {
			v = v<<8 | int64(c)
		}
		return v
	}
	row := w[0] + w[1] + w[2]
	for i := 0; i+row <= len(data); i += row {
		typ := int64(1)
		if w[0] > 0 {
			typ = field(data[i : i+w[0]])
		}
		if typ == 1 {
			s.offsets = append(s.offsets, field(data[i+w[0]:i+w[0]+w[1]]))
		}
	}
}

// xref reads a classic xref table's subsection headers and entries from
// b[at:], checking each subsection's extent, and returns where it ends (at
// "trailer", or where it stops making sense).
func (s *scanner) xref(b []byte, at int, base int64) (int, error) {
	i := at
	word := func() []byte {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		j := i
		for i < len(b) && !isSpace(b[i]) && !isDelim(b[i]) {
			i++
		}
		return b[j:i]
	}
	num := func(w []byte) (int64, bool) {
		if len(w) == 0 {
			return 0, false
		}
		for _, c := range w {
			if c < '0' || c > '9' {
				return 0, false
			}
		}
		n, err := strconv.ParseInt(string(w), 10, 64)
		if err != nil {
			return -1, true // digits too many to be a number: too large
		}
		return n, true
	}
	for {
		back := i
		startW := word()
		start, ok1 := num(startW)
		if !ok1 {
			return back, nil // "trailer" or damage: the main scan goes on
		}
		count, ok2 := num(word())
		if !ok2 {
			return back, nil
		}
		if start < 0 || count < 0 || start+count > s.lim.MaxObjects || start+count < 0 {
			v := start + count
			if start < 0 || count < 0 || v < 0 {
				v = -1
			}
			return 0, &LimitError{Kind: LimitObjects, Offset: base + int64(back), Value: v, Limit: s.lim.MaxObjects}
		}
		for k := int64(0); k < count; k++ {
			off, ok := num(word())
			if _, ok2 := num(word()); !ok || !ok2 {
				return i, nil
			}
			if kw := word(); string(kw) == "n" && off >= 0 {
				s.offsets = append(s.offsets, off)
			} else if string(kw) != "f" {
				return i, nil
			}
		}
	}
}

// scanObject reads the object starting at off on its own, up to its
// endobj or stream keyword, and returns how many bytes it read.
func (s *scanner) scanObject(b []byte, off int64) (int64, error) {
	if off < 0 || off >= int64(len(b)) {
		return 0, nil
	}
	rest := b[off:]
	end := len(rest)
	if k := bytes.Index(rest, []byte("endobj")); k >= 0 {
		end = k
	}
	if k := bytes.Index(rest[:end], []byte("stream")); k >= 0 {
		end = k
	}
	sub := &scanner{lim: s.lim, inflateLeft: 0, extends: map[int64]int64{}}
	// The object's own tokens: counted as an object stream's content is.
	if err := sub.scan(rest[:end], off, false); err != nil {
		return 0, err
	}
	return int64(end), nil
}
