package cli

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/petfriendly/recon/review"
	"github.com/petfriendly/recon/source"
)

// ReviewCmd serves the local review page until Ctrl-C.
type ReviewCmd struct {
	Addr        string   `name:"addr" default:"127.0.0.1:8080" help:"${help_review_addr}" placeholder:"HOST:PORT"`
	AllowRemote bool     `name:"allow-remote" help:"${help_review_allow_remote}"`
	Hosts       []string `name:"host" help:"${help_review_host}" placeholder:"NAME"`
	By          string   `name:"by" env:"RECON_OPERATOR,USER" help:"${help_by}"`
	Mapping     string   `name:"mapping" help:"${help_mapping}" type:"existingfile" placeholder:"FILE"`
}

func (c *ReviewCmd) Run(ctx context.Context, g *Globals) error {
	if err := review.CheckAddr(c.Addr, c.AllowRemote); err != nil {
		var re *review.RemoteError
		if errors.As(err, &re) {
			return errors.New(g.L.F("la dirección %s es accesible desde otros equipos y la página muestra datos personales: use 127.0.0.1 o --allow-remote",
				"address %s is reachable from other machines and the page shows personal data: use 127.0.0.1 or --allow-remote", c.Addr))
		}
		return err
	}
	var mapping *source.Mapping
	if c.Mapping != "" {
		m, err := source.LoadMapping(c.Mapping)
		if err != nil {
			return err
		}
		mapping = m
	}
	pool, err := g.openDB(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	ln, err := net.Listen("tcp", review.ListenAddr(c.Addr))
	if err != nil {
		return fmt.Errorf("%s: %w", g.L.S("abrir la página de revisión", "open the review page"), err)
	}
	defer ln.Close()
	opts := review.Options{DB: pool, Lang: g.L, Operator: operatorName(c.By), Now: g.Now, Location: g.zone(), Mapping: mapping, AllowRemote: c.AllowRemote}
	var listenHosts []string
	if c.AllowRemote {
		if listenHosts, err = review.ListenHosts(ln.Addr()); err != nil {
			return err
		}
		opts.Hosts = append(append(opts.Hosts, listenHosts...), c.Hosts...)
	}
	h, err := review.New(opts)
	if err != nil {
		return err
	}
	if c.AllowRemote {
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		fmt.Fprintln(g.Stderr, g.L.S("Atención: la página acepta conexiones de otros equipos que tengan la clave; compártala solo con quien revisa.",
			"Warning: the page accepts connections from other machines holding the key; share it only with reviewers."))
		// The token is printed once: whoever opens one of these addresses gets a cookie in its place.
		for _, host := range append(listenHosts, c.Hosts...) {
			fmt.Fprintln(g.Stdout, g.L.F("Página de revisión en http://%s/?token=%s (Ctrl-C para detener)", "Review page at http://%s/?token=%s (Ctrl-C to stop)",
				net.JoinHostPort(host, port), h.AccessToken()))
		}
		return review.Serve(ctx, ln, h)
	}
	// Tests read this line to find the port of --addr 127.0.0.1:0.
	fmt.Fprintln(g.Stdout, g.L.F("Página de revisión en http://%s/ (Ctrl-C para detener)", "Review page at http://%s/ (Ctrl-C to stop)", ln.Addr()))
	return review.Serve(ctx, ln, h)
}
