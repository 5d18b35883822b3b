package cli

import (
	"context"
	"fmt"
	"runtime/debug"
)

type VersionCmd struct{}

func (c *VersionCmd) Run(ctx context.Context, g *Globals) error {
	v := "devel"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	fmt.Fprintln(g.Stdout, "recon", v)
	return nil
}
