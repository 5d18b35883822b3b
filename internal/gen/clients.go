package gen

import (
	"context"
	"strconv"
	"strings"
)

// identity is everything that makes client i recognisable. It is a pure
// function of (seed, i), so a later duplicate row can recompute its target's
// keys. Keys are unique per index by construction (perm / index suffix).
type identity struct {
	name        string
	email       string // canonical: lower-case, trimmed
	mobile      string // 10 digits, 3XX...
	landline    string // 10 digits, 60X + 7
	docType     string // CC, CE, NIT
	docNum      uint64 // NIT: without check digit
	city        int
	mobileStyle int
	landStyle   int
	docDots     bool
	hasEmail    bool
	hasMobile   bool
	hasLandline bool
	mobileInTel bool // mobile written in telefono instead of celular
	hasDoc      bool
}

const (
	numMobileStyles   = 6
	numLandlineStyles = 4
)

func (g *Generator) identity(i int) identity {
	x := splitmix{g.salt ^ mix64(uint64(i)+0x1d)}
	var id identity
	female := x.intn(2) == 0
	first := x.one(firstNamesM)
	if female {
		first = x.one(firstNamesF)
	}
	s1, s2 := x.one(surnames), x.one(surnames)
	id.name = first + " " + s1 + " " + s2
	id.city = x.intn(len(cities))

	f, l := foldASCII(firstWord(first)), foldASCII(s1)
	var local string
	switch x.intn(4) {
	case 0:
		local = f + "." + l
	case 1:
		local = f + l
	case 2:
		local = f + "_" + l
	default:
		local = f[:1] + l
	}
	// The index suffix makes the address unique (the letters hold no digits).
	id.email = local + strconv.Itoa(i+1) + "@" + x.one(emailDomains)

	id.mobile = x.one(mobilePrefixes) + pad(int(perm(i, 7654321, g.salt%10_000_000, 10_000_000)), 7)
	id.landline = cities[id.city].area + strconv.Itoa(2_000_000+int(perm(i, 3141597, g.salt%7_000_000, 7_000_000)))

	p := perm(i, 2718281, (g.salt>>20)%10_000_000, 10_000_000)
	switch t := x.intn(100); {
	case t < 88:
		id.docType = "CC"
		switch {
		case x.intn(3) == 0:
			id.docNum = 1_000_000_000 + p
		case female:
			id.docNum = 52_000_000 + p
		default:
			id.docNum = 79_000_000 + p
		}
	case t < 95:
		id.docType = "CE"
		id.docNum = 100_000 + p
	default:
		id.docType = "NIT"
		id.docNum = 900_000_000 + p
	}
	id.mobileStyle = x.intn(numMobileStyles)
	id.landStyle = x.intn(numLandlineStyles)
	id.docDots = x.intn(2) == 0
	id.hasEmail = x.intn(100) < 90
	id.hasMobile = !id.hasEmail || x.intn(100) < 93
	id.hasLandline = x.intn(100) < 25
	id.mobileInTel = id.hasMobile && !id.hasLandline && x.intn(100) < 15
	id.hasDoc = x.intn(100) < 94
	return id
}

func fmtMobile(m string, st int) string {
	switch st {
	case 0:
		return m
	case 1:
		return "+57 " + m[:3] + " " + m[3:6] + " " + m[6:]
	case 2:
		return m[:3] + "-" + m[3:6] + "-" + m[6:]
	case 3:
		return "(" + m[:3] + ") " + m[3:]
	case 4:
		return m[:3] + " " + m[3:6] + " " + m[6:]
	default:
		return "+57" + m
	}
}

func fmtLandline(l string, st int) string {
	switch st {
	case 0:
		return l[:3] + " " + l[3:]
	case 1:
		return "(" + l[:3] + ") " + l[3:]
	case 2:
		return l
	default:
		return "+57 " + l[:3] + " " + l[3:]
	}
}

// unicodePhone adds what copy-pasting from WhatsApp or a web page leaves in
// a phone: a leading U+202A or non-breaking spaces. Windows-1252 (excel-es)
// cannot hold U+202A, so that variant gets a trailing NBSP instead; the
// defect count stays the same in every variant.
func unicodePhone(p string, which int, variant string) string {
	switch {
	case which == 1 && strings.Contains(p, " "):
		return strings.ReplaceAll(p, " ", "\u00a0")
	case variant == VariantExcelES:
		return p + "\u00a0"
	}
	return "\u202a" + p
}

// nitCheckDigit is the DIAN verification digit of a NIT.
func nitCheckDigit(n uint64) int {
	weights := []uint64{3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71}
	var sum uint64
	for k := 0; n > 0 && k < len(weights); k++ {
		sum += (n % 10) * weights[k]
		n /= 10
	}
	r := int(sum % 11)
	if r >= 2 {
		return 11 - r
	}
	return r
}

func fmtDoc(typ string, n uint64, dots bool) string {
	s := strconv.FormatUint(n, 10)
	if dots {
		s = groupThousands(int64(n))
	}
	if typ == "NIT" {
		s += "-" + strconv.Itoa(nitCheckDigit(n))
	}
	return s
}

// nameVariant is how a returning owner may have been typed again.
func nameVariant(name string, k int) string {
	switch k {
	case 0:
		return strings.ToUpper(name)
	case 1:
		return foldReplacer.Replace(name)
	case 2:
		return "  " + name + " "
	}
	return name
}

// clients.csv
func (g *Generator) genClients(ctx context.Context) error {
	tr, err := g.open(tblClients)
	if err != nil {
		return err
	}
	defer tr.close()
	n := g.rows[tiClients]
	g.cliStatus = make([]uint8, n)
	g.cliSurv = make([]int32, n)
	const (
		kEmptyName = iota + 1
		kNoContact
		kBadEmail
		kDupEmail
		kDupPhone
		kDupDocument
		kKeyOfRejected
	)
	rates := []float64{0.010, 0.006, 0.010, 0.012, 0.012, 0.009, 0.004}
	lastRejected := -1 // a rejected client whose mobile no other row holds yet
	for i := range n {
		if err := checkCtx(ctx, i); err != nil {
			return err
		}
		kind := g.pick(i, n, rates)
		id := g.identity(i)
		name := id.name
		switch g.intn(20) {
		case 0:
			name = strings.ToUpper(name)
		case 1:
			name = " " + name + "  "
		}
		var docType, doc, tel, cel, email string
		status, surv := cliImported, i
		// clean-row contact fields, from the identity
		full := func() {
			if id.hasDoc {
				docType, doc = id.docType, fmtDoc(id.docType, id.docNum, id.docDots)
			}
			if id.hasEmail {
				email = id.email
				switch g.intn(20) {
				case 0:
					email = strings.ToUpper(email[:1]) + email[1:]
				case 1:
					email = " " + email
				}
			}
			if id.hasLandline {
				tel = fmtLandline(id.landline, id.landStyle)
			}
			if id.hasMobile {
				m := fmtMobile(id.mobile, id.mobileStyle)
				if id.mobileInTel {
					tel = m
				} else {
					cel = m
				}
			}
		}
		switch kind {
		case kEmptyName:
			id.hasMobile = true
			full()
			name = []string{"", "  ", " "}[g.intn(3)]
			status = cliRejected
		case kNoContact:
			if id.hasDoc {
				docType, doc = id.docType, fmtDoc(id.docType, id.docNum, id.docDots)
			}
			status = cliRejected
		case kBadEmail:
			id.hasMobile = true
			id.hasEmail = false
			full()
			email = g.one(badEmails)
			status = cliRejected
		case kDupEmail, kDupPhone, kDupDocument:
			t := g.dupTarget(i, kind-kDupEmail)
			if t < 0 {
				full() // no suitable target: a clean row
				break
			}
			tid := g.identity(t)
			name = nameVariant(tid.name, g.intn(4))
			status, surv = cliDup, t
			switch kind {
			case kDupEmail:
				email = "  " + strings.ToUpper(tid.email) + " "
				if g.chance(0.5) {
					cel = fmtMobile(id.mobile, g.intn(numMobileStyles))
				}
				g.hit(dCliDupEmail)
			case kDupPhone:
				phone := fmtLandline(tid.landline, (tid.landStyle+1+g.intn(numLandlineStyles-1))%numLandlineStyles)
				if tid.hasMobile {
					phone = fmtMobile(tid.mobile, (tid.mobileStyle+1+g.intn(numMobileStyles-1))%numMobileStyles)
				}
				if g.chance(0.5) {
					tel = phone
				} else {
					cel = phone
				}
				if g.chance(0.5) {
					email = id.email
				}
				g.hit(dCliDupPhone)
			case kDupDocument:
				docType, doc = tid.docType, fmtDoc(tid.docType, tid.docNum, !tid.docDots)
				email = id.email
				if g.chance(0.3) {
					cel = fmtMobile(id.mobile, g.intn(numMobileStyles))
				}
				g.hit(dCliDupDocument)
			}
		case kKeyOfRejected:
			if lastRejected < 0 {
				full()
				break
			}
			rid := g.identity(lastRejected)
			lastRejected = -1
			id.hasMobile, id.mobileInTel = false, false
			full()
			cel = fmtMobile(rid.mobile, (rid.mobileStyle+1)%numMobileStyles)
			status = cliTrap
			g.hit(dCliKeyOfRejected)
		default:
			full()
		}

		notes := g.one(clientNotes)
		if status == cliImported || status == cliTrap {
			if !id.hasEmail && email == "" {
				g.hit(dCliNoEmail)
			}
			if kind == 0 && cel != "" && (g.chance(0.04) || g.late(dCliPhoneUnicode, i, n)) {
				cel = unicodePhone(cel, g.intn(2), g.opts.Variant)
				g.hit(dCliPhoneUnicode)
			}
			if g.chance(0.01) || g.late(dCliHTMLNotes, i, n) {
				notes = g.one(htmlNotes)
				g.hit(dCliHTMLNotes)
			}
		}
		switch kind {
		case kEmptyName:
			g.hit(dCliEmptyName)
		case kNoContact:
			g.hit(dCliNoContact)
		case kBadEmail:
			g.hit(dCliBadEmail)
		}

		g.cliStatus[i], g.cliSurv[i] = status, int32(surv)
		switch status {
		case cliImported, cliTrap:
			g.count(tiClients, oImported)
		case cliDup:
			g.count(tiClients, oMerged)
		case cliRejected:
			g.count(tiClients, oRejected)
			g.rejClients = append(g.rejClients, int32(i))
			if kind != kNoContact {
				lastRejected = i
			}
		}

		err := tr.emit(
			txt(g.id(tiClients, i)), txt(name), txt(docType), txt(doc), txt(tel), txt(cel), txt(email),
			txt(g.address()), txt(cities[id.city].name), txt(notes),
			g.dateVal(ymd(2012, 1, 1), RefDate), txt(g.one(consent)),
		)
		if err != nil {
			return err
		}
	}
	return tr.commit()
}

// dupTarget finds an earlier imported client (not a trap) that has the key
// a duplicate of kind k (0 email, 1 phone, 2 document) copies; -1 if none.
func (g *Generator) dupTarget(i, k int) int {
	if i == 0 {
		return -1
	}
	for range 64 {
		t := g.intn(i)
		if g.cliStatus[t] != cliImported {
			continue
		}
		tid := g.identity(t)
		switch {
		case k == 0 && tid.hasEmail,
			k == 1 && (tid.hasMobile || tid.hasLandline),
			k == 2 && tid.hasDoc:
			return t
		}
	}
	return -1
}

func (g *Generator) address() string {
	s := g.one(streetTypes) + " " + strconv.Itoa(1+g.intn(180))
	if g.chance(0.2) {
		s += string(rune('A' + g.intn(4)))
	}
	s += " # " + strconv.Itoa(1+g.intn(120)) + "-" + strconv.Itoa(1+g.intn(99))
	return s + g.one(addressExtras)
}
