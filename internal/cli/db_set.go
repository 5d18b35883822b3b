package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/petfriendly/recon/audit"
)

// DBSetCmd keeps settings once per database (migration_setting), such as
// the clinic's name every report shows; without arguments it lists them.
type DBSetCmd struct {
	Pairs []string `arg:"" optional:"" name:"key=value" help:"${help_db_set_pairs}"`
	By    string   `name:"by" env:"RECON_OPERATOR,USER" help:"${help_operator}"`
}

func (c *DBSetCmd) Run(ctx context.Context, g *Globals) error {
	type pair struct{ key, value string }
	var pairs []pair
	for _, a := range c.Pairs {
		k, v, ok := strings.Cut(a, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		if !ok || !knownSetting(k) {
			return WithExitCode(ExitError, errors.New(g.L.F(
				"%q no es un ajuste: use CLAVE=VALOR con una de estas claves: %s (p. ej. clinic=\"Clínica Dr. Pablo\")",
				"%q is not a setting: use KEY=VALUE with one of these keys: %s (e.g. clinic=\"Clínica Dr. Pablo\")",
				a, strings.Join(audit.SettingKeys(), ", "))))
		}
		pairs = append(pairs, pair{k, v})
	}
	pool, err := g.openDB(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	for _, p := range pairs {
		if err := audit.SetSetting(ctx, pool, p.key, p.value, operatorName(c.By), g.Now()); err != nil {
			return err
		}
		if g.Quiet {
			continue
		}
		if strings.TrimSpace(p.value) == "" {
			fmt.Fprintln(g.Stdout, g.L.F("Ajuste %s borrado.", "Setting %s cleared.", p.key))
		} else {
			fmt.Fprintln(g.Stdout, g.L.F("%s = %q guardado en la base de datos.", "%s = %q stored in the database.", p.key, strings.TrimSpace(p.value)))
		}
	}
	if len(pairs) > 0 {
		return nil
	}
	list, err := audit.Settings(ctx, pool)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(g.Stdout, g.L.S("No hay ajustes guardados. Ejemplo: recon db set clinic=\"Clínica Dr. Pablo\"",
			"No settings stored. Example: recon db set clinic=\"Clínica Dr. Pablo\""))
		return nil
	}
	tw := tabwriter.NewWriter(g.Stdout, 0, 0, 2, ' ', 0)
	for _, s := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Key, s.Value, g.clock(&s.UpdatedAt), s.UpdatedBy)
	}
	return tw.Flush()
}

func knownSetting(key string) bool {
	for _, k := range audit.SettingKeys() {
		if k == key {
			return true
		}
	}
	return false
}
