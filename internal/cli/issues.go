package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/petfriendly/recon/audit"
	"github.com/petfriendly/recon/internal/words"
	"github.com/petfriendly/recon/source/normalize"
)

// IssuesCmd groups the data-quality issue commands.
type IssuesCmd struct {
	List    IssuesListCmd    `cmd:"" name:"list" help:"${help_issues_list}"`
	Show    IssuesShowCmd    `cmd:"" name:"show" help:"${help_issues_show}"`
	Resolve IssuesResolveCmd `cmd:"" name:"resolve" help:"${help_issues_resolve}"`
}

// issueFilterFlags select issues; without --batch only those of completed,
// real batches, as verify counts them.
type issueFilterFlags struct {
	Severity   string `name:"severity" help:"${help_issues_severity}" placeholder:"S"`
	Type       string `name:"type" help:"${help_issues_type}" placeholder:"T"`
	SourceType string `name:"source-type" help:"${help_issues_source_type}" placeholder:"TYPE"`
	SourceID   string `name:"source-id" help:"${help_issues_source_id}" placeholder:"ID"`
	Batch      int64  `name:"batch" help:"${help_issues_batch}" placeholder:"N"`
}

func (f issueFilterFlags) filter() audit.IssueFilter {
	return audit.IssueFilter{Severity: f.Severity, IssueType: f.Type, Type: f.SourceType, SourceID: f.SourceID, BatchID: f.Batch}
}

// IssuesListCmd lists issues.
type IssuesListCmd struct {
	issueFilterFlags
	Unresolved bool `name:"unresolved" help:"${help_issues_unresolved}"`
	Limit      int  `name:"limit" default:"100" help:"${help_issues_limit}"`
	JSON       bool `name:"json" xor:"format" help:"${help_list_json}"`
	CSV        bool `name:"csv" xor:"format" help:"${help_list_csv}"`
}

// issueCSVRow is one line of `recon issues list --csv`; the names match the
// keys of --json, and severity and issue type are codes, not words.
type issueCSVRow struct {
	ID          int64      `csv:"id"`
	BatchID     int64      `csv:"batch_id"`
	Type        string     `csv:"type"`
	SourceType  string     `csv:"source_type"`
	SourceID    string     `csv:"source_id"`
	Severity    string     `csv:"severity"`
	IssueType   string     `csv:"issue_type"`
	Field       string     `csv:"field"`
	SourceValue string     `csv:"source_value"`
	Description string     `csv:"description"`
	Resolved    bool       `csv:"resolved"`
	Resolution  string     `csv:"resolution"`
	ResolvedBy  string     `csv:"resolved_by"`
	ResolvedAt  *time.Time `csv:"resolved_at"`
	CreatedAt   *time.Time `csv:"created_at"`
}

func issueCSVRows(list []audit.Issue) []issueCSVRow {
	rows := make([]issueCSVRow, len(list))
	for i, is := range list {
		rows[i] = issueCSVRow{ID: is.ID, BatchID: is.BatchID, Type: is.Type, SourceType: is.SourceType, SourceID: is.SourceID,
			Severity: is.Severity, IssueType: is.IssueType, Field: is.Field, SourceValue: is.SourceValue,
			Description: is.Description, Resolved: is.Resolved, Resolution: is.Resolution, ResolvedBy: is.ResolvedBy,
			ResolvedAt: csvTime(is.ResolvedAt), CreatedAt: csvTime(&is.CreatedAt)}
	}
	return rows
}

func (c *IssuesListCmd) Run(ctx context.Context, g *Globals) error {
	pool, err := g.openDB(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	f := c.filter()
	f.Unresolved, f.Limit = c.Unresolved, c.Limit
	list, total, err := audit.ListIssues(ctx, pool, f)
	if err != nil {
		return localize(g, err)
	}
	if c.JSON {
		return printJSON(g, map[string]any{"total": total, "issues": list})
	}
	if c.CSV {
		// Only the rows go to stdout; a cut list is said on stderr.
		if total > len(list) && !g.Quiet {
			fmt.Fprintln(g.Stderr, g.L.F("Mostrando %s de %s (use --limit).", "Showing %s of %s (use --limit).", num(g, len(list)), num(g, total)))
		}
		return writeCSV(g.Stdout, issueCSVRows(list))
	}
	if len(list) == 0 {
		fmt.Fprintln(g.Stdout, g.L.S("Ningún problema de calidad coincide.", "No quality issue matches."))
		return nil
	}
	printIssues(g, g.Stdout, list)
	if total > len(list) {
		fmt.Fprintln(g.Stdout, g.L.F("Mostrando %s de %s (use --limit).", "Showing %s of %s (use --limit).", num(g, len(list)), num(g, total)))
	} else {
		fmt.Fprintln(g.Stdout, g.L.F("%s problemas.", "%s issues.", num(g, total)))
	}
	return nil
}

func printIssues(g *Globals, w io.Writer, list []audit.Issue) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, g.L.S("id\tseveridad\tproblema\tregistro\tcampo\tvalor en origen\tlote\testado\tdescripción",
		"id\tseverity\tissue\trecord\tfield\tsource value\tbatch\tstatus\tdescription"))
	for _, is := range list {
		status := g.L.S("abierto", "open")
		if is.Resolved {
			status = g.L.F("resuelto por %s", "resolved by %s", is.ResolvedBy)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s %s\t%s\t%s\t%d\t%s\t%s\n", is.ID, words.Severity(g.L, is.Severity), is.IssueType,
			audit.TypeLabel(g.L, is.Type), is.SourceID, is.Field, cell(is.SourceValue, 30), is.BatchID, status, cell(is.Description, 80))
	}
	tw.Flush()
}

// IssuesShowCmd shows one issue with its row as read and as migrated.
type IssuesShowCmd struct {
	ID      int64  `arg:"" name:"id" help:"${help_issues_id}"`
	JSON    bool   `name:"json" help:"${help_list_json}"`
	Mapping string `name:"mapping" help:"${help_mapping}" type:"existingfile" placeholder:"FILE"`
}

func (c *IssuesShowCmd) Run(ctx context.Context, g *Globals) error {
	opts, err := viewOptions(c.Mapping)
	if err != nil {
		return err
	}
	pool, err := g.openDB(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	d, err := audit.ShowIssue(ctx, pool, c.ID, opts)
	if err != nil {
		return localize(g, err)
	}
	if c.JSON {
		return printJSON(g, d)
	}
	is := d.Issue
	w := g.Stdout
	fmt.Fprintln(w, g.L.F("Problema %d — %s (%s)", "Issue %d — %s (%s)", is.ID, is.IssueType, words.Severity(g.L, is.Severity)))
	fmt.Fprintln(w, g.L.F("  Registro: %s %s   Campo: %s   Lote: %d", "  Record: %s %s   Field: %s   Batch: %d",
		audit.TypeLabel(g.L, is.Type), is.SourceID, is.Field, is.BatchID))
	fmt.Fprintln(w, g.L.F("  Valor en origen: %q", "  Source value: %q", is.SourceValue))
	fmt.Fprintln(w, g.L.F("  Descripción: %s", "  Description: %s", is.Description))
	if is.Resolved {
		fmt.Fprintln(w, g.L.F("  Resuelto por %s el %s: %s", "  Resolved by %s on %s: %s", is.ResolvedBy, g.clock(is.ResolvedAt), is.Resolution))
	} else {
		fmt.Fprintln(w, g.L.S("  Estado: abierto", "  Status: open"))
	}
	if d.Record != nil {
		fmt.Fprintln(w)
		printRecord(g, w, *d.Record, "")
	}
	return nil
}

// IssuesResolveCmd resolves one issue by id, or every open issue a filter
// selects after confirmation.
type IssuesResolveCmd struct {
	ID int64 `arg:"" name:"id" optional:"" help:"${help_issues_id}"`
	issueFilterFlags
	Resolution string `name:"resolution" required:"" help:"${help_issues_resolution}"`
	By         string `name:"by" env:"RECON_OPERATOR,USER" help:"${help_by}"`
	Yes        bool   `name:"yes" short:"y" help:"${help_yes}"`
}

func (c *IssuesResolveCmd) Run(ctx context.Context, g *Globals) error {
	f := c.filter()
	if c.ID != 0 && f.Narrowed() {
		return errors.New(g.L.S("indique un número de problema o filtros, no ambos", "give an issue number or filters, not both"))
	}
	if c.ID == 0 && !f.Narrowed() {
		return errors.New(g.L.S("indique un número de problema o al menos un filtro (--severity, --type, --source-type, --source-id, --batch)",
			"give an issue number or at least one filter (--severity, --type, --source-type, --source-id, --batch)"))
	}
	pool, err := g.openDB(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	res := audit.Resolution{Text: c.Resolution, By: operatorName(c.By), At: g.Now()}
	if c.ID != 0 {
		is, err := audit.ResolveIssue(ctx, pool, c.ID, res)
		if err != nil {
			return localize(g, err)
		}
		if !g.Quiet {
			fmt.Fprintln(g.Stdout, g.L.F("Problema %d (%s, %s %s) resuelto por %s.", "Issue %d (%s, %s %s) resolved by %s.",
				is.ID, is.IssueType, audit.TypeLabel(g.L, is.Type), is.SourceID, is.ResolvedBy))
		}
		return nil
	}
	f.Unresolved = true
	list, _, err := audit.ListIssues(ctx, pool, f)
	if err != nil {
		return localize(g, err)
	}
	if len(list) == 0 {
		fmt.Fprintln(g.Stdout, g.L.S("Ningún problema abierto coincide: nada que resolver.", "No open issue matches: nothing to resolve."))
		return nil
	}
	if !c.Yes {
		summarizeIssues(g, list)
		fmt.Fprint(g.Stdout, g.L.F("¿Marcar como resueltos estos %s problemas con la resolución %q? [s/N] ",
			"Mark these %s issues resolved with the resolution %q? [y/N] ", num(g, len(list)), strings.TrimSpace(c.Resolution)))
		if !confirmed(g.Stdin) {
			fmt.Fprintln(g.Stdout)
			return WithExitCode(ExitProblems, errors.New(g.L.S("cancelado: no se resolvió ningún problema", "cancelled: no issue was resolved")))
		}
	}
	ids := make([]int64, len(list))
	for i, is := range list {
		ids[i] = is.ID
	}
	n, err := audit.ResolveIssues(ctx, pool, ids, res)
	if err != nil {
		return localize(g, err)
	}
	if !g.Quiet {
		fmt.Fprintln(g.Stdout, g.L.F("%s problemas resueltos por %s.", "%s issues resolved by %s.", num(g, int(n)), res.By))
	}
	return nil
}

// summarizeIssues shows what a bulk resolution will touch: counts by
// severity and type, then the first few issues.
func summarizeIssues(g *Globals, list []audit.Issue) {
	counts := map[[2]string]int{}
	for _, is := range list {
		counts[[2]string{is.Severity, is.IssueType}]++
	}
	keys := make([][2]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i][0] < keys[j][0] || keys[i][0] == keys[j][0] && keys[i][1] < keys[j][1]
	})
	for _, k := range keys {
		fmt.Fprintf(g.Stdout, "  %s %s: %s\n", words.Severity(g.L, k[0]), k[1], num(g, counts[k]))
	}
	shown := list
	if len(shown) > 10 {
		shown = shown[:10]
	}
	printIssues(g, g.Stdout, shown)
	if len(list) > len(shown) {
		fmt.Fprintln(g.Stdout, g.L.F("  ... y %s más", "  ... and %s more", num(g, len(list)-len(shown))))
	}
}

// confirmed reads one answer line; only an explicit yes counts.
func confirmed(in io.Reader) bool {
	if in == nil {
		return false
	}
	line, _ := bufio.NewReader(in).ReadString('\n')
	switch normalize.Fold(strings.TrimSpace(line)) {
	case "s", "si", "y", "yes":
		return true
	}
	return false
}

// localize gives a review refusal in the operator's language.
func localize(g *Globals, err error) error {
	var re *audit.Error
	if errors.As(err, &re) {
		return errors.New(re.Text(g.L))
	}
	return err
}

func printJSON(g *Globals, v any) error {
	enc := json.NewEncoder(g.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// cell flattens a value for a table cell and shortens long ones.
func cell(s string, max int) string {
	s = strings.NewReplacer("\r\n", "⏎", "\n", "⏎", "\r", "⏎", "\t", " ").Replace(s)
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}
