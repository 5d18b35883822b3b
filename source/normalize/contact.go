package normalize

import (
	"strings"
)

// Email trims, lower-cases and strips "mailto:", then checks the syntax
// mail providers accept: one @, a dot-atom local part of at most 64
// characters, and a domain of letter/digit/hyphen labels with an
// alphabetic (or punycode) top-level label. Non-ASCII is rejected: the
// mailboxes Colombian clinics see do not allow it, so it is a typo.
func Email(raw string) (string, error) {
	s := strings.ToLower(Clean(raw))
	if s == "" {
		return "", nil
	}
	s = strings.TrimSpace(strings.TrimPrefix(s, "mailto:"))
	fail := func(reason string) (string, error) { return "", newErr(CodeInvalidEmail, raw, reason) }
	if reason := emailReason(s); reason != "" {
		return fail(reason)
	}
	return s, nil
}

func emailReason(s string) string {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x80:
			return "non-ascii character"
		case c == ' ':
			return "contains a space"
		}
	}
	local, domain, ok := strings.Cut(s, "@")
	switch {
	case !ok:
		return "missing @"
	case strings.Contains(domain, "@"):
		return "more than one @"
	case local == "":
		return "empty local part"
	case len(local) > 64:
		return "local part longer than 64 characters"
	case len(s) > 254:
		return "longer than 254 characters"
	case strings.Contains(s, ".."):
		return "consecutive dots"
	case local[0] == '.' || local[len(local)-1] == '.':
		return "local part starts or ends with a dot"
	case !strings.Contains(domain, "."):
		return "domain without a dot"
	}
	for i := 0; i < len(local); i++ {
		if c := local[i]; !isAlnum(c) && !strings.ContainsRune("!#$%&'*+/=?^_`{|}~.-", rune(c)) {
			return "invalid character in local part"
		}
	}
	labels := strings.Split(domain, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return "invalid domain"
		}
		for i := 0; i < len(l); i++ {
			if !isAlnum(l[i]) && l[i] != '-' {
				return "invalid character in domain"
			}
		}
	}
	tld := labels[len(labels)-1]
	if !strings.HasPrefix(tld, "xn--") {
		if len(tld) < 2 {
			return "invalid top-level domain"
		}
		for i := 0; i < len(tld); i++ {
			if tld[i] < 'a' || tld[i] > 'z' {
				return "invalid top-level domain"
			}
		}
	}
	return ""
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// Phone returns a number in E.164. Colombian numbers: 10-digit mobiles
// starting with 3 and, since 2021, 10-digit landlines 60 + area digit + 7
// digits, with or without 57, +57 or 0057 in front. A 7-digit landline
// without area code (the city cannot be known) and legacy 03 trunk dialling
// fail. Other countries need an explicit + and 8-15 digits. Spaces, dots,
// dashes, parentheses and a trailing extension ("ext 12") are dropped; "/"
// is dropped only when it does not separate two numbers.
func Phone(raw string) (e164 string, err error) {
	s := strings.ToLower(Clean(raw))
	if s == "" {
		return "", nil
	}
	fail := func(reason string) (string, error) { return "", newErr(CodeInvalidPhone, raw, reason) }
	if i := strings.Index(s, "ext"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if scientific(strings.ReplaceAll(s, " ", "")) {
		return fail("scientific notation hides digits")
	}
	numbers := 0
	for part := range strings.SplitSeq(s, "/") {
		if digitCount(part) >= 7 {
			numbers++
		}
	}
	if numbers > 1 {
		return fail("more than one number")
	}
	var b strings.Builder
	plus := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+':
			if plus || b.Len() > 0 {
				return fail("misplaced +")
			}
			plus = true
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')' || r == '/':
		default:
			return fail("unexpected character")
		}
	}
	d := b.String()
	switch {
	case d == "":
		return fail("no digits")
	case plus && strings.HasPrefix(d, "57"):
		return colombian(d[2:], fail)
	case plus:
		if d[0] == '0' {
			return fail("country code cannot start with 0")
		}
		if len(d) < 8 || len(d) > 15 {
			return fail("international number must have 8 to 15 digits")
		}
		return "+" + d, nil
	case strings.HasPrefix(d, "0057"):
		return colombian(d[4:], fail)
	case strings.HasPrefix(d, "57") && len(d) == 12:
		return colombian(d[2:], fail)
	case strings.HasPrefix(d, "03"):
		return fail("legacy 03 trunk prefix")
	case len(d) == 7:
		return fail("landline without area code")
	}
	return colombian(d, fail)
}

// colombian validates a national significant number.
func colombian(n string, fail func(string) (string, error)) (string, error) {
	switch {
	case len(n) == 10 && n[0] == '3':
		return "+57" + n, nil
	case len(n) == 10 && strings.HasPrefix(n, "60"):
		if !strings.ContainsRune("1245678", rune(n[2])) {
			return fail("unknown landline area digit")
		}
		return "+57" + n, nil
	case len(n) == 7:
		return fail("landline without area code")
	case len(n) == 8:
		return fail("landline in the pre-2021 format")
	}
	return fail("not a Colombian mobile or landline number")
}

func digitCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}
