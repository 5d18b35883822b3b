// Package i18n picks between the Spanish and English text of a message.
// Messages are written inline in both languages where they are used, so a
// reader sees both and neither can drift out of a separate catalogue.
package i18n

import (
	"fmt"
	"strconv"
	"strings"
)

// Lang is a user interface language.
type Lang string

const (
	ES Lang = "es"
	EN Lang = "en"
)

// Parse accepts "es", "en" and locale forms such as "en_US.UTF-8".
func Parse(s string) (Lang, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "", strings.HasPrefix(s, "es"):
		return ES, nil
	case strings.HasPrefix(s, "en"):
		return EN, nil
	}
	return ES, fmt.Errorf("unsupported language %q (use es or en)", s)
}

// S returns the message in the language.
func (l Lang) S(es, en string) string {
	if l == EN {
		return en
	}
	return es
}

// F formats the message in the language.
func (l Lang) F(es, en string, args ...any) string {
	return fmt.Sprintf(l.S(es, en), args...)
}

// Int writes a whole number with the language's thousands separator:
// "1.234" in Spanish, "1,234" in English; minus is an ASCII hyphen.
func (l Lang) Int(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := l.S(".", ",")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Text is a message written in both languages before the reader's is
// known: an import's issues are made once and read by the operator in
// theirs. Only EN set means the text has no Spanish yet.
type Text struct {
	ES, EN string
}

// T formats a message in both languages with the same arguments.
func T(es, en string, args ...any) Text {
	return Text{ES: fmt.Sprintf(es, args...), EN: fmt.Sprintf(en, args...)}
}

// In returns the text in the language, English when it has no Spanish.
func (t Text) In(l Lang) string {
	if l == EN || t.ES == "" {
		return t.EN
	}
	return t.ES
}
