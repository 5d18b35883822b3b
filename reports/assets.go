package reports

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/petfriendly/recon/internal/i18n"
)

// assets holds echarts.min.js when the binary was built after
// `make assets`; the committed README keeps the pattern valid without it.
//
//go:embed assets
var assets embed.FS

const echartsPath = "assets/echarts.min.js"

// echartsJS returns the ECharts library to inline, or an error telling the
// user how to build a binary that has it.
func echartsJS(l i18n.Lang) (string, error) {
	return loadECharts(assets, l)
}

func loadECharts(fsys fs.FS, l i18n.Lang) (string, error) {
	b, err := fs.ReadFile(fsys, echartsPath)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(b) == 0) {
		return "", errors.New(l.S(
			"ECharts no está incluido en este binario: ejecute `make assets` (descarga echarts desde npm) y vuelva a compilar recon",
			"ECharts is not included in this binary: run `make assets` (fetches echarts from npm) and rebuild recon"))
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", echartsPath, err)
	}
	js := string(b)
	// Inlined verbatim, the library must not be able to close its own
	// <script> element or open an HTML comment.
	low := strings.ToLower(js)
	if strings.Contains(low, "</script") || strings.Contains(low, "<!--") {
		return "", fmt.Errorf("%s contains </script or <!-- and cannot be inlined", echartsPath)
	}
	return js, nil
}
