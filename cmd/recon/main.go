// Command recon migrates OkVet.co exports into Pet-Friendly and proves it.
package main

import (
	"os"

	"github.com/petfriendly/recon/internal/cli"
)

func main() { os.Exit(cli.Run(cli.SignalContext(), os.Args[1:], os.Stdout, os.Stderr)) }
