package reports

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/petfriendly/recon/internal/approval"
	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/internal/pdfraw"
)

// reBox finds the digital signature box: its fill colour (pdfSigBox, as
// gofpdf writes it) and the rectangle filled with it.
var reBox = regexp.MustCompile(`0\.996 0\.996 0\.992 rg\s+(?:[^\n]*\n)*?\s*(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re`)

var reContents = regexp.MustCompile(`/Contents\s+(\d+)\s+0\s+R`)

// sigBoxRect finds the signature box on page: [x1 y1 x2 y2] in points.
func sigBoxRect(p *pdfraw.File, page int) ([4]float64, error) {
	var rect [4]float64
	d, err := p.Dict(page)
	if err != nil {
		return rect, err
	}
	cm := reContents.FindStringSubmatch(d)
	if cm == nil {
		return rect, errors.New("last page without a single /Contents stream")
	}
	n, _ := strconv.Atoi(cm[1])
	content, err := p.StreamData(n)
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
	return [4]float64{min(x, x+w), min(y, y+h), max(x, x+w), max(y, y+h)}, nil
}

// addSignatureField appends an incremental update to pdf that adds an
// unsigned signature field named name, whose widget covers the signature
// box of the last page, and the catalog's AcroForm with SigFlags. The
// original bytes stay untouched, first in the output.
func addSignatureField(pdf []byte, name string) ([]byte, error) {
	p, err := pdfraw.Parse(pdf)
	if err != nil {
		return nil, err
	}
	page, err := p.LastPage()
	if err != nil {
		return nil, err
	}
	rect, err := sigBoxRect(p, page)
	if err != nil {
		return nil, err
	}
	pageDict, err := p.Dict(page)
	if err != nil {
		return nil, err
	}
	catalog, err := p.Dict(p.Root)
	if err != nil {
		return nil, err
	}
	if strings.Contains(catalog, "/AcroForm") {
		return nil, errors.New("the document already has a form")
	}
	field, form, ap := p.Size, p.Size+1, p.Size+2
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
	out, _ := pdfraw.AppendUpdate(pdf, p, map[int]string{
		page:   pageDict,
		p.Root: catalog,
		field: fmt.Sprintf("<< /Type /Annot /Subtype /Widget /FT /Sig /T %s /TU %s /F 4 /P %d 0 R /Rect [%.2f %.2f %.2f %.2f] /AP << /N %d 0 R >> >>",
			pdfraw.TextString(name), pdfraw.TextString(name), page, rect[0], rect[1], rect[2], rect[3], ap),
		form: fmt.Sprintf("<< /Fields [%s] /SigFlags 1 >>", fieldRef),
		ap:   fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f] /Length 0 >>\nstream\n\nendstream", w, h),
	}, ap+1)
	return out, nil
}

// SignoffLine says who approved which run and whether the data changed since.
func SignoffLine(l i18n.Lang, s approval.Status, loc *time.Location) string {
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

// SignedApproval is the line the text outputs print about the latest
// sign-off: "Aprobación firmada: " and its SignoffLine.
func SignedApproval(l i18n.Lang, s approval.Status, loc *time.Location) string {
	return l.F("Aprobación firmada: %s", "Signed approval: %s", SignoffLine(l, s, loc))
}
