// Package pdfraw reads and updates the little of a classic-xref PDF (as
// gofpdf writes it) that the approval's signature field needs: where each
// object is, the trailer, and incremental updates appended to the file.
package pdfraw

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
)

// File is the little of a classic-xref PDF (as gofpdf writes it) that
// adding a field needs: where each object starts and the trailer.
type File struct {
	b         []byte
	Offsets   map[int]int // object number → byte offset, newest section wins
	Size      int         // the trailer's /Size: the next free object number
	Root      int         // the catalog's object number
	Info      int         // the document information's object number, or 0
	ID        string      // the trailer's /ID array, verbatim, or ""
	StartXref int         // where the newest xref section starts
}

var (
	reSize      = regexp.MustCompile(`/Size\s+(\d+)`)
	reRoot      = regexp.MustCompile(`/Root\s+(\d+)\s+0\s+R`)
	reInfo      = regexp.MustCompile(`/Info\s+(\d+)\s+0\s+R`)
	rePrev      = regexp.MustCompile(`/Prev\s+(\d+)`)
	reID        = regexp.MustCompile(`/ID\s*\[[^\]]*\]`)
	rePages     = regexp.MustCompile(`/Pages\s+(\d+)\s+0\s+R`)
	reKids      = regexp.MustCompile(`/Kids\s*\[([^\]]*)\]`)
	reRef       = regexp.MustCompile(`(\d+)\s+0\s+R`)
	reCont      = regexp.MustCompile(`/Contents\s+(\d+)\s+0\s+R`)
	reLength    = regexp.MustCompile(`/Length\s+(\d+)(\s+\d+\s+R\b)?`) // group 2: an indirect reference
	reStart     = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	rePagesType = regexp.MustCompile(`/Type\s*/Pages\b`)
)

func Parse(b []byte) (*File, error) {
	m := reStart.FindSubmatch(b)
	if m == nil {
		return nil, errors.New("no startxref at the end")
	}
	p := &File{b: b, Offsets: map[int]int{}}
	p.StartXref, _ = strconv.Atoi(string(m[1]))
	at, seen := p.StartXref, map[int]bool{}
	for first := true; ; first = false {
		if seen[at] {
			return nil, errors.New("xref /Prev loop")
		}
		seen[at] = true
		trailer, err := p.readXref(at)
		if err != nil {
			return nil, err
		}
		if first {
			if s := reSize.FindStringSubmatch(trailer); s != nil {
				p.Size, _ = strconv.Atoi(s[1])
			}
			if s := reRoot.FindStringSubmatch(trailer); s != nil {
				p.Root, _ = strconv.Atoi(s[1])
			}
			if s := reInfo.FindStringSubmatch(trailer); s != nil {
				p.Info, _ = strconv.Atoi(s[1])
			}
			p.ID = reID.FindString(trailer)
		}
		prev := rePrev.FindStringSubmatch(trailer)
		if prev == nil {
			break
		}
		at, _ = strconv.Atoi(prev[1])
	}
	if p.Size == 0 || p.Root == 0 {
		return nil, errors.New("trailer lacks /Size or /Root")
	}
	return p, nil
}

// readXref reads one classic xref section at off and returns its trailer
// dictionary's text. Entries already known from a newer section stay.
func (p *File) readXref(off int) (string, error) {
	b := p.b
	if off < 0 || off >= len(b) || !bytes.HasPrefix(b[off:], []byte("xref")) {
		return "", fmt.Errorf("no xref table at %d (cross-reference streams are not supported)", off)
	}
	i := off + 4
	skipWS := func() {
		for i < len(b) && (b[i] == ' ' || b[i] == '\r' || b[i] == '\n' || b[i] == '\t') {
			i++
		}
	}
	readInt := func() (int, error) {
		skipWS()
		j := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if j == i {
			return 0, fmt.Errorf("xref: number expected at %d", j)
		}
		return strconv.Atoi(string(b[j:i]))
	}
	for {
		skipWS()
		if bytes.HasPrefix(b[i:], []byte("trailer")) {
			end := bytes.Index(b[i:], []byte("startxref"))
			if end < 0 {
				return "", errors.New("trailer without startxref")
			}
			return string(b[i : i+end]), nil
		}
		start, err := readInt()
		if err != nil {
			return "", err
		}
		count, err := readInt()
		if err != nil {
			return "", err
		}
		skipWS()
		for k := 0; k < count; k++ {
			if i+20 > len(b) {
				return "", errors.New("xref: truncated")
			}
			e := string(b[i : i+18])
			if e[17] == 'n' {
				o, err := strconv.Atoi(e[:10])
				if err != nil {
					return "", fmt.Errorf("xref entry %q: %w", e, err)
				}
				if _, ok := p.Offsets[start+k]; !ok {
					p.Offsets[start+k] = o
				}
			}
			i += 20
		}
	}
}

// Object returns the text between "N 0 obj" and "endobj".
func (p *File) Object(n int) ([]byte, error) {
	off, ok := p.Offsets[n]
	if !ok {
		return nil, fmt.Errorf("object %d is not in the xref", n)
	}
	head := []byte(strconv.Itoa(n) + " 0 obj")
	if off >= len(p.b) || !bytes.HasPrefix(p.b[off:], head) {
		return nil, fmt.Errorf("object %d: xref offset %d is wrong", n, off)
	}
	body := p.b[off+len(head):]
	end := bytes.Index(body, []byte("endobj"))
	if end < 0 {
		return nil, fmt.Errorf("object %d: no endobj", n)
	}
	return bytes.TrimSpace(body[:end]), nil
}

// Dict returns object n when it is a dictionary without a stream.
func (p *File) Dict(n int) (string, error) {
	o, err := p.Object(n)
	if err != nil {
		return "", err
	}
	s := string(o)
	if !strings.HasPrefix(s, "<<") || !strings.HasSuffix(s, ">>") {
		return "", fmt.Errorf("object %d is not a plain dictionary", n)
	}
	return s, nil
}

// StreamData returns the decoded data of stream object n (Flate or none).
func (p *File) StreamData(n int) ([]byte, error) {
	o, err := p.Object(n)
	if err != nil {
		return nil, err
	}
	k := bytes.Index(o, []byte("stream"))
	if k < 0 {
		return nil, fmt.Errorf("object %d is not a stream", n)
	}
	dict := string(o[:k])
	lm := reLength.FindStringSubmatch(dict)
	if lm == nil || lm[2] != "" {
		// "/Length 7 0 R" is object 7, not seven bytes.
		return nil, fmt.Errorf("object %d: no direct /Length", n)
	}
	length, _ := strconv.Atoi(lm[1])
	data := o[k+len("stream"):]
	data = bytes.TrimPrefix(data, []byte("\r"))
	data = bytes.TrimPrefix(data, []byte("\n"))
	if length > len(data) {
		return nil, fmt.Errorf("object %d: /Length beyond the object", n)
	}
	data = data[:length]
	if !strings.Contains(dict, "/FlateDecode") {
		return data, nil
	}
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("object %d: %w", n, err)
	}
	return io.ReadAll(zr)
}

// LastPage returns the object number of the document's last page.
func (p *File) LastPage() (int, error) {
	cat, err := p.Dict(p.Root)
	if err != nil {
		return 0, err
	}
	m := rePages.FindStringSubmatch(cat)
	if m == nil {
		return 0, errors.New("catalog without /Pages")
	}
	node, _ := strconv.Atoi(m[1])
	for depth := 0; depth < 32; depth++ {
		d, err := p.Dict(node)
		if err != nil {
			return 0, err
		}
		if !rePagesType.MatchString(d) {
			return node, nil
		}
		kids := reKids.FindStringSubmatch(d)
		if kids == nil {
			return 0, fmt.Errorf("pages node %d without /Kids", node)
		}
		refs := reRef.FindAllStringSubmatch(kids[1], -1)
		if len(refs) == 0 {
			return 0, errors.New("document without pages")
		}
		node, _ = strconv.Atoi(refs[len(refs)-1][1])
	}
	return 0, errors.New("page tree too deep")
}

// TextString encodes s as a PDF text string: literal when ASCII,
// UTF-16BE hex otherwise.
func TextString(s string) string {
	ascii := true
	for _, r := range s {
		if r > 126 || r < 32 || r == '(' || r == ')' || r == '\\' {
			ascii = false
		}
	}
	if ascii {
		return "(" + s + ")"
	}
	var sb strings.Builder
	sb.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&sb, "%04X", u)
	}
	sb.WriteString(">")
	return sb.String()
}

// AppendUpdate appends an incremental update to b (the bytes f was parsed
// from) that writes objs, by object number (existing ones replace the old
// version, new ones must be numbered from f.Size on), with a classic xref
// section and a trailer chained to the previous one by /Prev. size is the
// new trailer /Size. It returns the new file and where each object starts.
func AppendUpdate(b []byte, f *File, objs map[int]string, size int) ([]byte, map[int]int) {
	out := bytes.NewBuffer(bytes.Clone(b))
	if !bytes.HasSuffix(b, []byte("\n")) {
		out.WriteByte('\n')
	}
	nums := make([]int, 0, len(objs))
	for n := range objs {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	offsets := map[int]int{}
	for _, n := range nums {
		offsets[n] = out.Len()
		fmt.Fprintf(out, "%d 0 obj\n%s\nendobj\n", n, objs[n])
	}
	xref := out.Len()
	out.WriteString("xref\n")
	for i := 0; i < len(nums); {
		j := i
		for j+1 < len(nums) && nums[j+1] == nums[j]+1 {
			j++
		}
		fmt.Fprintf(out, "%d %d\n", nums[i], j-i+1)
		for k := i; k <= j; k++ {
			fmt.Fprintf(out, "%010d 00000 n\r\n", offsets[nums[k]])
		}
		i = j + 1
	}
	fmt.Fprintf(out, "trailer\n<< /Size %d /Root %d 0 R", size, f.Root)
	if f.Info != 0 {
		fmt.Fprintf(out, " /Info %d 0 R", f.Info)
	}
	if f.ID != "" {
		out.WriteString(" " + f.ID)
	}
	fmt.Fprintf(out, " /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", f.StartXref, xref)
	return out.Bytes(), offsets
}
