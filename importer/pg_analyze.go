package importer

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/petfriendly/recon/source"
)

// analyze refreshes the planner statistics of the tables an import wrote.
// recon verify usually runs right after an import, before autovacuum has
// analysed the new rows; without statistics its per-chunk look-ups of
// migration records (source_type, source_id = ANY(...)) were planned as
// bitmap scans of every record of the type, ~30 times slower per chunk at
// scale 20 (docs/performance.md). A failure here (e.g. a role that does not
// own the tables, which PostgreSQL only warns about) never fails the
// import: the statistics are an optimisation.
func (im *Importer) analyze(ctx context.Context, types []source.Type) {
	tables := []string{"migration_migrationbatch", "migration_migrationrecord", "migration_externalidmapping",
		"migration_dataqualityissue"}
	if !im.opts.DryRun {
		for _, t := range types {
			tables = append(tables, t.Tables()...)
		}
	}
	seen := map[string]bool{}
	var ids []string
	for _, t := range tables {
		if !seen[t] {
			seen[t] = true
			ids = append(ids, pgx.Identifier{t}.Sanitize())
		}
	}
	_, _ = im.pool.Exec(ctx, "ANALYZE "+strings.Join(ids, ", "))
}
