// Package words holds, in Spanish and English, the words of the codes
// that several packages show: a run's verdict, an issue's severity and a
// row's import outcome. reports, audit, review (the page) and the CLI all take
// them from here, so each is worded once.
package words

import (
	"fmt"
	"strings"

	"github.com/petfriendly/recon/internal/i18n"
)

// pair is a text in Spanish and English; "%s" in it takes a reason.
type pair [2]string

func (p pair) in(l i18n.Lang, arg string) string {
	s := l.S(p[0], p[1])
	if strings.Contains(s, "%s") {
		return fmt.Sprintf(s, arg)
	}
	return s
}
