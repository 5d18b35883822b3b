package reconcile

import (
	"context"
	"fmt"
	"strconv"
)

// auditDigests are the audit tables' order-independent digests, summed by
// the server: the first 64 bits of each row's MD5 over its meaningful
// columns, added up as numeric. No ids, batch times or message texts (a
// message names a line, which a split export or a second import moves):
// the same export imported once, twice, split or rolled back and imported
// again has the same digests. The migration records are not summed: the
// verdict covers them line by line (a record rewritten or deleted is a
// finding), and a second import rewrites them all.
var auditDigests = map[string]string{
	"issues": `SELECT count(*), COALESCE(sum(('x' || left(md5(concat_ws('|', i.source_type, i.source_id, i.severity, i.issue_type, i.field_name,
		i.source_value, i.resolved, i.resolution, i.resolved_by_name, i.resolved_by_id, i.resolved_at AT TIME ZONE 'UTC')), 16))::bit(64)::bigint),
		0)::text
		FROM migration_dataqualityissue i JOIN migration_migrationbatch b ON b.id = i.batch_id WHERE b.status = 'completed' AND NOT b.is_dry_run`,
	"corrections": `SELECT count(*), COALESCE(sum(('x' || left(md5(concat_ws('|', c.source_type, c.source_id, c.field_name, c.column_name,
		c.old_value, c.new_value, c.reason, c.corrected_by, c.corrected_at AT TIME ZONE 'UTC')), 16))::bit(64)::bigint), 0)::text
		FROM migration_correction c`,
}

// readAuditDigests reads the audit tables' digests; it only reads the
// database, so it runs with the tail, while the types are compared.
func readAuditDigests(ctx context.Context, db Querier) (map[string]*contentSum, error) {
	out := map[string]*contentSum{}
	for _, name := range []string{"issues", "corrections"} {
		var n int
		var sum string
		if err := db.QueryRow(ctx, auditDigests[name]).Scan(&n, &sum); err != nil {
			return nil, fmt.Errorf("read audit trail: %w", err)
		}
		c := &contentSum{}
		c.add(name, []string{strconv.Itoa(n), sum})
		c.rows = n
		out[name] = c
	}
	return out, nil
}
