package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/petfriendly/recon/audit"
	"github.com/petfriendly/recon/source"
)

// CorrectCmd edits migrated destination fields by hand, audited.
type CorrectCmd struct {
	Type     string `name:"type" required:"" help:"${help_correct_type}" placeholder:"TYPE"`
	SourceID string `name:"source-id" required:"" help:"${help_correct_source_id}" placeholder:"ID"`
	// sep:"none" keeps commas inside values ("Calle 1, 2").
	Set     []string `name:"set" required:"" sep:"none" help:"${help_correct_set}" placeholder:"FIELD=VALUE"`
	Reason  string   `name:"reason" required:"" help:"${help_correct_reason}"`
	By      string   `name:"by" env:"RECON_OPERATOR,USER" help:"${help_by}"`
	Issue   int64    `name:"issue" help:"${help_correct_issue}" placeholder:"ID"`
	Mapping string   `name:"mapping" help:"${help_mapping}" type:"existingfile" placeholder:"FILE"`
	JSON    bool     `name:"json" help:"${help_list_json}"`
}

func (c *CorrectCmd) Run(ctx context.Context, g *Globals) error {
	req := audit.CorrectRequest{Type: c.Type, SourceID: c.SourceID, Reason: c.Reason, By: operatorName(c.By), At: g.Now(), IssueID: c.Issue}
	for _, s := range c.Set {
		field, value, ok := strings.Cut(s, "=")
		if !ok {
			return errors.New(g.L.F("--set %q: use campo=valor", "--set %q: use field=value", s))
		}
		req.Changes = append(req.Changes, audit.Change{Field: strings.TrimSpace(field), Value: value})
	}
	if c.Mapping != "" {
		m, err := source.LoadMapping(c.Mapping)
		if err != nil {
			return err
		}
		req.Mapping = m
	}
	pool, err := g.openDB(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	applied, err := audit.Correct(ctx, pool, req)
	if err != nil {
		return localize(g, err)
	}
	if c.JSON {
		return printJSON(g, applied)
	}
	if g.Quiet {
		return nil
	}
	for _, a := range applied {
		fmt.Fprintln(g.Stdout, g.L.F("Corregido %s %s, %s (%s.%s): %q → %q (auditoría #%d)",
			"Corrected %s %s, %s (%s.%s): %q → %q (audit #%d)",
			audit.TypeLabel(g.L, a.Type), a.SourceID, a.Field, a.Table, a.Column, a.Old, a.New, a.ID))
	}
	return nil
}
