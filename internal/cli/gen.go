package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/petfriendly/recon/internal/gen"
)

// GenCmd writes a synthetic OkVet export with injected defects and the
// expected.json that states every row's outcome.
type GenCmd struct {
	Out     string  `required:"" help:"${help_gen_out}"`
	Scale   float64 `default:"1" help:"${help_gen_scale}"`
	Seed    uint64  `default:"1" help:"${help_gen_seed}"`
	Variant string  `default:"utf8" enum:"utf8,excel-es,xlsx" help:"${help_gen_variant}"`
}

// Run generates the export.
func (c *GenCmd) Run(ctx context.Context, g *Globals) error {
	exp, err := gen.Generate(ctx, gen.Options{Out: c.Out, Scale: c.Scale, Seed: c.Seed, Variant: c.Variant})
	var ge *gen.Error
	if errors.As(err, &ge) {
		return WithExitCode(ExitError, errors.New(ge.Text(g.L)))
	}
	if err != nil {
		return err
	}
	if g.Quiet || g.Stdout == nil {
		return nil
	}
	_, err = fmt.Fprint(g.Stdout, g.L.F("Exportación generada en %s: %d filas\n", "Export written to %s: %d rows\n", c.Out, exp.TotalRows()))
	return err
}
