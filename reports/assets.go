package reports

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
)

// assets holds echarts.min.js when the binary was built after
// `make assets`; the committed README keeps the pattern valid without it.
//
//go:embed assets
var assets embed.FS

const echartsPath = "assets/echarts.min.js"

// Charts is the ECharts library the HTML pages inline. The zero value has
// none: the pages are then written with a notice where each chart would
// be, and their tables still carry every number.
type Charts struct {
	js      string
	version string
}

// Available reports whether the pages can draw charts.
func (c Charts) Available() bool { return c.js != "" }

// Version is the ECharts version the library declares, or "" when it
// declares none or there is no library.
func (c Charts) Version() string { return c.version }

// echartsVersion finds the version ECharts assigns to its export object,
// e.g. `t.version="6.1.0"` in the minified build.
var echartsVersion = regexp.MustCompile(`[,;{]\s*[A-Za-z_$][\w$]*\.version\s*=\s*"(\d+\.\d+\.\d+[\w.+-]*)"`)

// NewCharts checks an ECharts build before it is inlined: inlined
// verbatim, it must not be able to close its own <script> element or open
// an HTML comment. An empty build is an error too.
func NewCharts(js []byte) (Charts, error) {
	if len(js) == 0 {
		return Charts{}, errors.New("echarts library is empty")
	}
	s := string(js)
	low := strings.ToLower(s)
	if strings.Contains(low, "</script") || strings.Contains(low, "<!--") {
		return Charts{}, errors.New("echarts library contains </script or <!-- and cannot be inlined")
	}
	c := Charts{js: s}
	if m := echartsVersion.FindStringSubmatch(s); m != nil {
		c.version = m[1]
	}
	return c, nil
}

// EmbeddedCharts returns the library built into this binary by `make
// assets`, or the zero Charts, with no error, when it was built without.
func EmbeddedCharts() (Charts, error) {
	return loadCharts(assets)
}

func loadCharts(fsys fs.FS) (Charts, error) {
	b, err := fs.ReadFile(fsys, echartsPath)
	if errors.Is(err, fs.ErrNotExist) {
		return Charts{}, nil
	}
	if err != nil {
		return Charts{}, fmt.Errorf("read %s: %w", echartsPath, err)
	}
	c, err := NewCharts(b)
	if err != nil {
		return Charts{}, fmt.Errorf("%s: %w", echartsPath, err)
	}
	return c, nil
}
