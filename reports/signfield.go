package reports

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
	"time"
	"unicode/utf16"

	"github.com/petfriendly/recon/internal/i18n"

	"github.com/petfriendly/recon/reconcile"
)

// SignatureFieldName is the AcroForm signature field of the approval PDF:
// the one Dr. Pablo signs with his certificate.
const SignatureFieldName = "Firma de aprobación"

// SignoffIdentity is what an approval PDF says it approves: the
// verification run and its fingerprints, kept in the PDF's Keywords.
type SignoffIdentity struct {
	RunID              int64  `json:"run_id"`
	Fingerprint        string `json:"fingerprint"`
	ContentFingerprint string `json:"content_fingerprint"`
}

const (
	kwRun     = "recon-run:"
	kwFinding = "recon-fingerprint:"
	kwContent = "recon-content-fingerprint:"
)

// SignoffKeywords is the Keywords entry of the approval PDF.
func SignoffKeywords(r reconcile.Result) string {
	return kwRun + strconv.FormatInt(r.RunID, 10) + " " + kwFinding + r.Fingerprint + " " + kwContent + r.ContentFingerprint
}

// ParseSignoffKeywords reads SignoffKeywords back; ok is false when the
// keywords do not name a run and a content fingerprint.
func ParseSignoffKeywords(s string) (id SignoffIdentity, ok bool) {
	var run, content bool
	for _, f := range strings.Fields(s) {
		switch {
		case strings.HasPrefix(f, kwRun):
			n, err := strconv.ParseInt(strings.TrimPrefix(f, kwRun), 10, 64)
			if err != nil {
				return id, false
			}
			id.RunID, run = n, true
		case strings.HasPrefix(f, kwFinding):
			id.Fingerprint = strings.TrimPrefix(f, kwFinding)
		case strings.HasPrefix(f, kwContent):
			id.ContentFingerprint = strings.TrimPrefix(f, kwContent)
			content = id.ContentFingerprint != ""
		}
	}
	return id, run && content
}

// rawPDF is the little of a classic-xref PDF (as gofpdf writes it) that
// adding a field needs: where each object starts and the trailer.
type rawPDF struct {
	b         []byte
	offsets   map[int]int // object number → byte offset, newest section wins
	size      int
	root      int
	info      int
	id        string // the trailer's /ID array, verbatim, or ""
	startxref int
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
	reLength    = regexp.MustCompile(`/Length\s+(\d+)`)
	reStart     = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	rePagesType = regexp.MustCompile(`/Type\s*/Pages\b`)
)

func parseRawPDF(b []byte) (*rawPDF, error) {
	m := reStart.FindSubmatch(b)
	if m == nil {
		return nil, errors.New("no startxref at the end")
	}
	p := &rawPDF{b: b, offsets: map[int]int{}}
	p.startxref, _ = strconv.Atoi(string(m[1]))
	at, seen := p.startxref, map[int]bool{}
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
				p.size, _ = strconv.Atoi(s[1])
			}
			if s := reRoot.FindStringSubmatch(trailer); s != nil {
				p.root, _ = strconv.Atoi(s[1])
			}
			if s := reInfo.FindStringSubmatch(trailer); s != nil {
				p.info, _ = strconv.Atoi(s[1])
			}
			p.id = reID.FindString(trailer)
		}
		prev := rePrev.FindStringSubmatch(trailer)
		if prev == nil {
			break
		}
		at, _ = strconv.Atoi(prev[1])
	}
	if p.size == 0 || p.root == 0 {
		return nil, errors.New("trailer lacks /Size or /Root")
	}
	return p, nil
}

// readXref reads one classic xref section at off and returns its trailer
// dictionary's text. Entries already known from a newer section stay.
func (p *rawPDF) readXref(off int) (string, error) {
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
				if _, ok := p.offsets[start+k]; !ok {
					p.offsets[start+k] = o
				}
			}
			i += 20
		}
	}
}

// object returns the text between "N 0 obj" and "endobj".
func (p *rawPDF) object(n int) ([]byte, error) {
	off, ok := p.offsets[n]
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

// dict returns object n when it is a dictionary without a stream.
func (p *rawPDF) dict(n int) (string, error) {
	o, err := p.object(n)
	if err != nil {
		return "", err
	}
	s := string(o)
	if !strings.HasPrefix(s, "<<") || !strings.HasSuffix(s, ">>") {
		return "", fmt.Errorf("object %d is not a plain dictionary", n)
	}
	return s, nil
}

// streamData returns the decoded data of stream object n (Flate or none).
func (p *rawPDF) streamData(n int) ([]byte, error) {
	o, err := p.object(n)
	if err != nil {
		return nil, err
	}
	k := bytes.Index(o, []byte("stream"))
	if k < 0 {
		return nil, fmt.Errorf("object %d is not a stream", n)
	}
	dict := string(o[:k])
	lm := reLength.FindStringSubmatch(dict)
	if lm == nil {
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

// lastPage returns the object number of the document's last page.
func (p *rawPDF) lastPage() (int, error) {
	cat, err := p.dict(p.root)
	if err != nil {
		return 0, err
	}
	m := rePages.FindStringSubmatch(cat)
	if m == nil {
		return 0, errors.New("catalog without /Pages")
	}
	node, _ := strconv.Atoi(m[1])
	for depth := 0; depth < 32; depth++ {
		d, err := p.dict(node)
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

// reBox finds the digital signature box: its fill colour (pdfSigBox, as
// gofpdf writes it) and the rectangle filled with it.
var reBox = regexp.MustCompile(`0\.996 0\.996 0\.992 rg\s+(?:[^\n]*\n)*?\s*(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re`)

// sigBoxRect finds the signature box on page n: [x1 y1 x2 y2] in points.
func (p *rawPDF) sigBoxRect(page int) ([4]float64, error) {
	var rect [4]float64
	d, err := p.dict(page)
	if err != nil {
		return rect, err
	}
	cm := reCont.FindStringSubmatch(d)
	if cm == nil {
		return rect, errors.New("last page without a single /Contents stream")
	}
	n, _ := strconv.Atoi(cm[1])
	content, err := p.streamData(n)
	if err != nil {
		return rect, err
	}
	m := reBox.FindSubmatch(content)
	if m == nil {
		return rect, errors.New("no signature box on the last page")
	}
	var v [4]float64
	for i := range v {
		if v[i], err = strconv.ParseFloat(string(m[i+1]), 64); err != nil {
			return rect, fmt.Errorf("signature box: %w", err)
		}
	}
	x, y, w, h := v[0], v[1], v[2], v[3]
	x1, x2 := min(x, x+w), max(x, x+w)
	y1, y2 := min(y, y+h), max(y, y+h)
	return [4]float64{x1, y1, x2, y2}, nil
}

// pdfTextString encodes s as a PDF text string: literal when ASCII,
// UTF-16BE hex otherwise.
func pdfTextString(s string) string {
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

// addSignatureField appends an incremental update to pdf that adds an
// unsigned signature field named name, whose widget covers the signature
// box of the last page, and the catalog's AcroForm with SigFlags. The
// original bytes stay untouched, first in the output.
func addSignatureField(pdf []byte, name string) ([]byte, error) {
	p, err := parseRawPDF(pdf)
	if err != nil {
		return nil, err
	}
	page, err := p.lastPage()
	if err != nil {
		return nil, err
	}
	rect, err := p.sigBoxRect(page)
	if err != nil {
		return nil, err
	}
	pageDict, err := p.dict(page)
	if err != nil {
		return nil, err
	}
	catalog, err := p.dict(p.root)
	if err != nil {
		return nil, err
	}
	if strings.Contains(catalog, "/AcroForm") {
		return nil, errors.New("the document already has a form")
	}
	field, form, ap := p.size, p.size+1, p.size+2
	fieldRef := strconv.Itoa(field) + " 0 R"
	if i := strings.Index(pageDict, "/Annots"); i >= 0 {
		rest := strings.TrimLeft(pageDict[i+len("/Annots"):], " \r\n\t")
		if !strings.HasPrefix(rest, "[") {
			return nil, errors.New("last page's /Annots is not a direct array")
		}
		j := len(pageDict) - len(rest) + 1
		pageDict = pageDict[:j] + fieldRef + " " + pageDict[j:]
	} else {
		pageDict = strings.TrimSuffix(pageDict, ">>") + "/Annots [" + fieldRef + "]\n>>"
	}
	catalog = strings.TrimSuffix(catalog, ">>") + "/AcroForm " + strconv.Itoa(form) + " 0 R\n>>"
	w, h := rect[2]-rect[0], rect[3]-rect[1]
	objs := map[int]string{
		page:   pageDict,
		p.root: catalog,
		field: fmt.Sprintf("<< /Type /Annot /Subtype /Widget /FT /Sig /T %s /TU %s /F 4 /P %d 0 R /Rect [%.2f %.2f %.2f %.2f] /AP << /N %d 0 R >> >>",
			pdfTextString(name), pdfTextString(name), page, rect[0], rect[1], rect[2], rect[3], ap),
		form: fmt.Sprintf("<< /Fields [%s] /SigFlags 1 >>", fieldRef),
		ap:   fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f] /Length 0 >>\nstream\n\nendstream", w, h),
	}
	out := bytes.NewBuffer(bytes.Clone(pdf))
	if !bytes.HasSuffix(pdf, []byte("\n")) {
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
	fmt.Fprintf(out, "trailer\n<< /Size %d /Root %d 0 R", ap+1, p.root)
	if p.info != 0 {
		fmt.Fprintf(out, " /Info %d 0 R", p.info)
	}
	if p.id != "" {
		out.WriteString(" " + p.id)
	}
	fmt.Fprintf(out, " /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", p.startxref, xref)
	return out.Bytes(), nil
}

// SignoffStatus is the latest recorded digital sign-off and whether the
// data changed since; the reports show it in one line (SignoffLine).
type SignoffStatus struct {
	Signer    string
	SignedAt  time.Time
	RunID     int64
	Unchanged bool
	Changed   []string // tables whose content changed, when they can be named
}

// SignoffLine says who approved which run and whether the data changed since.
func SignoffLine(l i18n.Lang, s SignoffStatus, loc *time.Location) string {
	when := ""
	if !s.SignedAt.IsZero() {
		when = " " + l.S("el", "on") + " " + fmtTime(l, s.SignedAt, loc)
	}
	head := l.F("verificación #%d aprobada por %s%s", "run #%d approved by %s%s", s.RunID, s.Signer, when)
	switch {
	case s.Unchanged:
		return head + l.S(" — los datos no cambiaron desde entonces", " — the data has not changed since")
	case len(s.Changed) > 0:
		return head + l.F(" — los datos CAMBIARON desde entonces en: %s", " — the data CHANGED since, in: %s", strings.Join(s.Changed, ", "))
	default:
		return head + l.S(" — los datos CAMBIARON desde entonces", " — the data CHANGED since")
	}
}
