package reports

import (
	"html/template"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/internal/words"
	"github.com/petfriendly/recon/reconcile"
)

// chartView is one chart placed in a page. Element is go-echarts' container
// markup, which holds only our fixed id and size. Option stays a plain
// string: the template writes it as a JS string literal (html/template
// escapes "<" there) and the page JSON.parses it, so a "</script>" in any
// chart label cannot end the script. The snippet's own Script is not used
// because it inlines the option JSON unescaped.
type chartView struct {
	ID      string
	Title   string
	Element template.HTML
	Option  string
	Notice  string // set when there is no library: shown instead of the chart
}

// chartData is what the page script needs to draw one chart.
type chartData struct {
	ID     string
	Option string
}

// placeCharts returns what the page script draws. Without a library it
// draws nothing, and each chart becomes a notice in its place.
func placeCharts(l i18n.Lang, lib Charts, cs ...*chartView) []chartData {
	if !lib.Available() {
		for _, c := range cs {
			c.Notice = chartNotice(l)
		}
		return nil
	}
	out := make([]chartData, len(cs))
	for i, c := range cs {
		out[i] = chartData{ID: c.ID, Option: c.Option}
	}
	return out
}

// chartNotice stands where a chart would be in a page written without
// the library.
func chartNotice(l i18n.Lang) string {
	return l.S("Gráfico no disponible: esta copia de recon se compiló sin la biblioteca ECharts "+
		"(ejecute «make assets» y vuelva a compilar para incluirla). Las tablas de esta sección contienen los mismos datos.",
		"Chart not available: this copy of recon was built without the ECharts library "+
			"(run “make assets” and rebuild to include it). The tables of this section hold the same numbers.")
}

func snippet(id, title string, c render.Renderer) chartView {
	s := c.RenderSnippet()
	return chartView{
		ID:      id,
		Title:   title,
		Element: template.HTML(strings.TrimSpace(s.Element)), // ids and sizes are ours, no user text
		Option:  strings.TrimSpace(s.Option),
	}
}

// baseOpts are shared by every chart: a fixed id so output is
// reproducible, SVG so the charts print sharply, and no animation so a
// printed or screenshotted report shows final values.
func baseOpts(id string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "100%", Height: "380px", Renderer: "svg"}),
		charts.WithAnimation(false),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithGridOpts(opts.Grid{Left: "3%", Right: "3%", Top: "48", Bottom: "3%", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 25, Width: 150, Overflow: "truncate"}}),
		charts.WithYAxisOpts(opts.YAxis{AxisLabel: &opts.AxisLabel{Show: opts.Bool(true)}}),
	}
}

// sparseBarData leaves zero values out ("-" in ECharts) so their labels
// do not clutter a stacked chart.
func sparseBarData(vals []int) []opts.BarData {
	out := barData(vals)
	for i, v := range vals {
		if v == 0 {
			out[i].Value = "-"
		}
	}
	return out
}

func barData(vals []int) []opts.BarData {
	out := make([]opts.BarData, len(vals))
	for i, v := range vals {
		out[i] = opts.BarData{Value: v}
	}
	return out
}

func lineData(vals []int) []opts.LineData {
	out := make([]opts.LineData, len(vals))
	for i, v := range vals {
		out[i] = opts.LineData{Value: v}
	}
	return out
}

func colored(color string) charts.SeriesOpts {
	return charts.WithItemStyleOpts(opts.ItemStyle{Color: color})
}

// Colours shared by the HTML legend and the charts.
const (
	colorSource      = "#7a8ba8"
	colorDestination = "#2f7d5b"
	colorImported    = "#2f9e6e"
	colorMerged      = "#4f7fd1"
	colorRejected    = "#e08a2c"
	colorOrphaned    = "#9b6bc4"
	colorSkipped     = "#a3a8b0"
	colorUnexplained = "#d23c3c"
	colorCritical    = "#c62828"
	colorWarning     = "#e0a100"
	colorInfo        = "#3d7fc1"
)

func sevColor(s string) string {
	switch s {
	case "critical":
		return colorCritical
	case "warning":
		return colorWarning
	case "info":
		return colorInfo
	}
	return colorSkipped
}

// countsChart compares source and destination rows per type.
func countsChart(l i18n.Lang, r reconcile.Result, names []string) chartView {
	labels := make([]string, len(names))
	src, dst := make([]int, len(names)), make([]int, len(names))
	for i, n := range names {
		labels[i] = typeLabel(l, n)
		src[i], dst[i] = r.Types[n].SourceRows, r.Types[n].DestinationRows
	}
	b := charts.NewBar()
	b.SetGlobalOptions(baseOpts("chart_counts")...)
	b.SetXAxis(labels).
		AddSeries(l.S("Origen (OkVet.co)", "Source (OkVet.co)"), barData(src), colored(colorSource)).
		AddSeries(l.S("Destino (Pet-Friendly)", "Destination (Pet-Friendly)"), barData(dst), colored(colorDestination))
	return snippet("chart_counts", l.S("Filas en origen y en destino por tipo", "Source and destination rows per type"), b)
}

// outcomesChart stacks what happened to every source row of each type; a
// bar's height is the type's source row count.
func outcomesChart(l i18n.Lang, r reconcile.Result, names []string) chartView {
	labels := make([]string, len(names))
	series := []struct {
		name, color string
		get         func(reconcile.TypeCounts) int
	}{
		{l.S("importadas", "imported"), colorImported, func(c reconcile.TypeCounts) int { return c.Imported }},
		{l.S("fusionadas", "merged"), colorMerged, func(c reconcile.TypeCounts) int { return c.Merged }},
		{l.S("rechazadas", "rejected"), colorRejected, func(c reconcile.TypeCounts) int { return c.Rejected }},
		{l.S("huérfanas", "orphaned"), colorOrphaned, func(c reconcile.TypeCounts) int { return c.Orphaned }},
		{l.S("omitidas", "skipped"), colorSkipped, func(c reconcile.TypeCounts) int { return c.Skipped }},
		{l.S("sin explicar", "unexplained"), colorUnexplained, func(c reconcile.TypeCounts) int { return c.Unexplained }},
	}
	for i, n := range names {
		labels[i] = typeLabel(l, n)
	}
	b := charts.NewBar()
	// Imported rows dwarf every other outcome, so the chart opens without
	// them; the reader brings them back from the legend.
	b.SetGlobalOptions(append(baseOpts("chart_outcomes"),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", Selected: map[string]bool{series[0].name: false}}))...)
	b.SetXAxis(labels)
	for _, s := range series {
		vals := make([]int, len(names))
		for i, n := range names {
			vals[i] = s.get(r.Types[n])
		}
		b.AddSeries(s.name, barData(vals), colored(s.color), charts.WithBarChartOpts(opts.BarChart{Stack: "outcome"}))
	}
	return snippet("chart_outcomes", l.S("Resultado de las filas de origen por tipo (pulse «importadas» en la leyenda para verlas)",
		"Outcome of the source rows per type (click “imported” in the legend to show them)"), b)
}

// issuesChart stacks open issues per issue type by severity.
func issuesChart(l i18n.Lang, issues []reconcile.IssueCount) chartView {
	var codes []string
	seenCode, seenSev := map[string]bool{}, map[string]bool{}
	open := map[[2]string]int{}
	for _, ic := range issues {
		if !seenCode[ic.Type] {
			seenCode[ic.Type] = true
			codes = append(codes, ic.Type)
		}
		seenSev[ic.Severity] = true
		open[[2]string{ic.Severity, ic.Type}] += ic.Open
	}
	sevs := severities(seenSev)
	// One label per bar, on its top segment, with the bar's total: a label
	// per segment printed the counts of two severities over each other
	// when one of them was small. The tooltip splits the total.
	top := map[string]string{}
	total := map[string]int{}
	for _, sev := range sevs {
		for _, c := range codes {
			if v := open[[2]string{sev, c}]; v > 0 {
				top[c] = sev
				total[c] += v
			}
		}
	}
	b := charts.NewBar()
	b.SetGlobalOptions(baseOpts("chart_issues")...)
	b.SetXAxis(codes)
	for _, sev := range sevs {
		if !seenSev[sev] {
			continue
		}
		vals := make([]int, len(codes))
		for i, c := range codes {
			vals[i] = open[[2]string{sev, c}]
		}
		data := sparseBarData(vals)
		for i, c := range codes {
			if top[c] == sev {
				data[i].Label = &opts.Label{Show: opts.Bool(true), Position: "top", Formatter: num(l, total[c])}
			}
		}
		b.AddSeries(words.Severity(l, sev), data, colored(sevColor(sev)), charts.WithBarChartOpts(opts.BarChart{Stack: "sev"}))
	}
	return snippet("chart_issues", l.S("Problemas de calidad abiertos por tipo y gravedad", "Open quality issues by type and severity"), b)
}
