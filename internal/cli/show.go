package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/petfriendly/recon/audit"
	"github.com/petfriendly/recon/internal/words"
	"github.com/petfriendly/recon/source"
)

// ShowCmd prints a record's whole chain with source and destination side by
// side: the spot check a vendor asks the clinic to do by hand.
type ShowCmd struct {
	Type     string `name:"type" help:"${help_show_type}" placeholder:"TYPE"`
	SourceID string `name:"source-id" help:"${help_show_source_id}" placeholder:"ID"`
	Find     string `name:"find" help:"${help_show_find}" placeholder:"TEXT"`
	JSON     bool   `name:"json" help:"${help_list_json}"`
	Mapping  string `name:"mapping" help:"${help_mapping}" type:"existingfile" placeholder:"FILE"`
}

func (c *ShowCmd) Run(ctx context.Context, g *Globals) error {
	if (c.SourceID == "") == (c.Find == "") {
		return errors.New(g.L.S("indique --type y --source-id, o --find", "give --type and --source-id, or --find"))
	}
	if c.SourceID != "" && c.Type == "" {
		return errors.New(g.L.S("--source-id necesita --type (client, pet, record...)", "--source-id needs --type (client, pet, record...)"))
	}
	opts, err := viewOptions(c.Mapping)
	if err != nil {
		return err
	}
	pool, err := g.openDB(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	typ, id := c.Type, c.SourceID
	if c.Find != "" {
		matches, err := audit.Find(ctx, pool, c.Find, 50)
		if err != nil {
			return localize(g, err)
		}
		if c.Type != "" {
			t, ok := source.TypeByName(c.Type)
			if !ok {
				return localize(g, &audit.Error{Code: audit.CodeUnknownType, Type: c.Type})
			}
			kept := matches[:0]
			for _, m := range matches {
				if m.Type == t.Name {
					kept = append(kept, m)
				}
			}
			matches = kept
		}
		switch len(matches) {
		case 0:
			return WithExitCode(ExitProblems, errors.New(g.L.F("nada coincide con %q", "nothing matches %q", c.Find)))
		case 1:
			typ, id = matches[0].Type, matches[0].SourceID
		default:
			out := g.Stdout
			if c.JSON { // stdout is for JSON alone
				out = g.Stderr
			}
			fmt.Fprintln(out, g.L.F("Varias coincidencias con %q:", "Several matches for %q:", c.Find))
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			for _, m := range matches {
				t, _ := source.TypeByName(m.Type)
				fmt.Fprintf(tw, "  recon show --type %s --source-id %s\t%s\t%s\n", t.SourceType, m.SourceID, m.Label, m.Owner)
			}
			tw.Flush()
			return WithExitCode(ExitProblems, errors.New(g.L.S("elija una con --type y --source-id", "pick one with --type and --source-id")))
		}
	}
	root, err := audit.Show(ctx, pool, typ, id, opts)
	if err != nil {
		return localize(g, err)
	}
	if c.JSON {
		return printJSON(g, root)
	}
	printRecord(g, g.Stdout, root, "")
	return nil
}

func viewOptions(mapping string) (audit.ViewOptions, error) {
	if mapping == "" {
		return audit.ViewOptions{}, nil
	}
	m, err := source.LoadMapping(mapping)
	if err != nil {
		return audit.ViewOptions{}, err
	}
	return audit.ViewOptions{Mapping: m}, nil
}

// printRecord writes a row and its children, indented by depth: where it
// came from, where it went, and every field as read, normalised and stored.
func printRecord(g *Globals, w io.Writer, v audit.RecordView, indent string) {
	l := g.L
	focus := ""
	if v.Focus {
		focus = "▶ "
	}
	head := fmt.Sprintf("%s%s%s %s", indent, focus, audit.TypeLabel(l, v.Type), v.SourceID)
	if v.Label != "" {
		head += " — " + cell(v.Label, 60)
	}
	fmt.Fprintln(w, head)
	if s := v.Source; s != nil {
		fmt.Fprintln(w, indent+"  "+l.F("origen: %s:%d, lote %d — %s", "source: %s:%d, batch %d — %s",
			filepath.Base(s.File), s.Line, s.BatchID, words.Outcome(l, s.Status, s.Reason)))
		if s.RawLine != "" {
			fmt.Fprintln(w, indent+"  "+l.F("fila tal como se leyó: %s", "row as read: %s", cell(s.RawLine, 200)))
		}
	} else {
		fmt.Fprintln(w, indent+"  "+l.S("origen: sin registro de importación", "source: no import record"))
	}
	if d := v.Destination; d != nil {
		line := l.F("destino: %s #%d", "destination: %s #%d", d.Table, d.ID)
		if d.Merged {
			line += l.S(" (fila del sobreviviente)", " (the survivor's row)")
		}
		if !d.Exists {
			line += l.S(" — ¡LA FILA YA NO EXISTE!", " — THE ROW NO LONGER EXISTS!")
		}
		fmt.Fprintln(w, indent+"  "+line)
	} else {
		fmt.Fprintln(w, indent+"  "+l.S("destino: no migrado", "destination: not migrated"))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, indent+"  "+l.S("campo\torigen (leído)\tnormalizado\tdestino\t", "field\tsource (as read)\tnormalised\tdestination\t"))
	for _, f := range v.Fields {
		fmt.Fprintf(tw, "%s  %s\t%s\t%s\t%s\t%s\n", indent, f.Field, cell(f.Raw, 40), cell(f.Normalised, 40), cell(f.Destination, 40),
			audit.StatusLabel(l, f.Status))
	}
	tw.Flush()
	for _, c := range v.Corrections {
		fmt.Fprintln(w, indent+"  "+l.F("✎ %s %s: %s %q → %q (%s)", "✎ %s %s: %s %q → %q (%s)",
			g.clock(&c.At), c.By, c.Field, c.Old, c.New, c.Reason))
	}
	for _, is := range v.Issues {
		state := l.S("abierto", "open")
		if is.Resolved {
			state = l.S("resuelto", "resolved")
		}
		fmt.Fprintln(w, indent+"  "+fmt.Sprintf("! #%d %s %s %s (%s)", is.ID, words.Severity(l, is.Severity), is.IssueType,
			is.Field, state))
	}
	for _, c := range v.Children {
		fmt.Fprintln(w)
		printRecord(g, w, c, indent+strings.Repeat(" ", 4))
	}
}
