package reconcile

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/petfriendly/recon/source"
)

// The pgx side of the accounting: each function runs one query and hands
// its rows to the core as plain values.

// eachRow runs a query and calls fn after scanning each row into dest.
func eachRow(ctx context.Context, db Querier, what string, dest []any, fn func(), sql string, args ...any) error {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if _, err := pgx.ForEachRow(rows, dest, func() error { fn(); return nil }); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// readBatches lists the real import batches, oldest first.
func readBatches(ctx context.Context, db Querier) ([]batchInfo, error) {
	var out []batchInfo
	var b batchInfo
	err := eachRow(ctx, db, "read import batches", []any{&b.ID, &b.Type, &b.Path, &b.SHA256, &b.Status, &b.Finished}, func() {
		if t, ok := source.TypeByName(b.Type); ok {
			c := b
			c.Type = t.Name
			out = append(out, c)
		}
	}, `SELECT id, batch_type, source_file, source_sha256, status, COALESCE(completed_at, started_at, created_at)
		FROM migration_migrationbatch WHERE NOT is_dry_run ORDER BY id`)
	return out, err
}

// readLineOutcomes returns the records of a batch for lines from..to.
func readLineOutcomes(ctx context.Context, db Querier, batch int64, from, to int) (lineOutcomes, error) {
	out := lineOutcomes{first: from, lines: make([]lineOutcome, max(to-from+1, 0))}
	var line int
	var id int64
	var o lineOutcome
	rejected := map[int64]int{} // record id -> index in out.lines
	err := eachRow(ctx, db, fmt.Sprintf("read records of batch %d", batch), []any{&id, &line, &o.sourceID, &o.status, &o.reason},
		func() {
			if i := line - from; i >= 0 && i < len(out.lines) {
				o.found, o.issueNamed = true, o.status != "error"
				out.lines[i] = o
				if o.status == "error" {
					rejected[id] = i
				}
			}
		},
		`SELECT id, line_number, source_id, status, reason FROM migration_migrationrecord
		WHERE batch_id = $1 AND line_number BETWEEN $2 AND $3`, batch, from, to)
	if err != nil || len(rejected) == 0 {
		return out, err
	}
	// A rejection's issue must name its problem: its own critical issue of
	// the reason's type, or an open one of that type and field of an earlier
	// batch it was linked to (whatever its severity: the importer links a
	// problem raised again to the first open issue with its type and field,
	// which may be the normaliser's warning). Asked for the few rejected records only, apart, so the query
	// above stays a cheap index scan (a costlier plan is JIT-compiled, at
	// tens of milliseconds a chunk).
	ids := make([]int64, 0, len(rejected))
	for rid := range rejected {
		ids = append(ids, rid)
	}
	err = eachRow(ctx, db, fmt.Sprintf("read issues of batch %d", batch), []any{&id}, func() {
		if i, ok := rejected[id]; ok {
			out.lines[i].issueNamed = true
		}
	}, `SELECT r.id FROM migration_migrationrecord r WHERE r.id = ANY($1) AND (
			EXISTS (SELECT 1 FROM migration_dataqualityissue i WHERE i.record_id = r.id AND i.severity = 'critical' AND i.issue_type = r.reason)
			OR EXISTS (SELECT 1 FROM migration_issuebatch ib JOIN migration_dataqualityissue i ON i.id = ib.issue_id
				WHERE ib.batch_id = r.batch_id AND ib.record_id = r.id AND i.issue_type = r.reason))`, ids)
	return out, err
}

// eachMapping hands every mapping of a source type to fn.
func eachMapping(ctx context.Context, db Querier, sourceType string, fn func(id string, target int64)) error {
	var id string
	var target int64
	return eachRow(ctx, db, "read "+sourceType+" mappings", []any{&id, &target}, func() { fn(id, target) },
		`SELECT source_id, target_id FROM migration_externalidmapping
		WHERE source_system = 'okvet' AND source_type = $1 ORDER BY source_id`, sourceType)
}

// mappingCounts counts the mappings per source type and target model, in
// one pass over the table.
func mappingCounts(ctx context.Context, db Querier) (map[string]map[string]int, error) {
	out := map[string]map[string]int{}
	var st, model string
	var n int
	err := eachRow(ctx, db, "count mappings", []any{&st, &model, &n}, func() {
		if out[st] == nil {
			out[st] = map[string]int{}
		}
		out[st][model] = n
	}, `SELECT source_type, target_model, count(*) FROM migration_externalidmapping
		WHERE source_system = 'okvet' GROUP BY 1, 2`)
	return out, err
}

// readRowFlags reads, for the given rows of a type's table, whether each is
// a placeholder owner and whether it was created after the given time.
func readRowFlags(ctx context.Context, db Querier, t source.Type, ids []int64, after time.Time) (map[int64][2]bool, error) {
	created, err := createdColumn(ctx, db, t.Table)
	if err != nil {
		return nil, err
	}
	placeholder, late := rowFlagExprs(t, created, "d")
	out := make(map[int64][2]bool, len(ids))
	var id int64
	var f [2]bool
	err = eachRow(ctx, db, "account for "+t.Table, []any{&id, &f[0], &f[1]}, func() { out[id] = f },
		`SELECT d.id, COALESCE(`+placeholder+`, false), COALESCE(`+late+`, false)
		FROM `+pgx.Identifier{t.Table}.Sanitize()+` d WHERE d.id = ANY($1)`, ids, after)
	return out, err
}

// adoptingPlaceholder is true for an owner row (alias) that is a
// placeholder with at least one pet: the importer creates its placeholder
// only to adopt an orphan pet, so one without pets was made by hand.
func adoptingPlaceholder(alias string) string {
	pets, _ := source.TypeByName("pets")
	owner := "owner_id"
	if p, ok := pets.Parent(); ok {
		owner = p.Column
	}
	return "(" + alias + ".is_placeholder AND EXISTS (SELECT 1 FROM " + pgx.Identifier{pets.Table}.Sanitize() + " p WHERE p." +
		pgx.Identifier{owner}.Sanitize() + " = " + alias + ".id))"
}

// rowFlagExprs are the expressions, over the row alias, that say whether a
// row is the placeholder owner and whether it was created after $2.
func rowFlagExprs(t source.Type, created, alias string) (placeholder, late string) {
	placeholder, late = "false", "false"
	if t.Placeholder {
		placeholder = adoptingPlaceholder(alias)
	}
	if created != "" {
		late = alias + "." + pgx.Identifier{created}.Sanitize() + " > $2"
	}
	return placeholder, late
}

// countRows is a table's real row count.
func countRows(ctx context.Context, db Querier, table string) (int, error) {
	var n int
	if err := db.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{table}.Sanitize()).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", table, err)
	}
	return n, nil
}

// tableGap is a row of a type's table, or a mapped target id, that the
// mappings do not explain one to one: a row no non-merged mapping points at
// (Mapped 0), a row several do (Mapped > 1, SourceIDs), a target id with
// no row (Missing), or a row its one non-merged mapping points at whose
// external_id is not that mapping's source id (Mapped 1, ExternalID and
// SourceIDs[0] differ).
type tableGap struct {
	ID           int64
	Missing      bool
	Mapped       int
	SourceIDs    []string
	ExternalID   string
	Placeholder  bool
	CreatedAfter bool
}

// externalIDColumn is the destination column that holds a row's OkVet id:
// the id field's column in source.Types(), external_id by the schema
// contract when the field names none.
func externalIDColumn(t source.Type) string {
	for _, f := range t.Fields {
		if f.Kind == source.KindID && f.Column != "" {
			return f.Column
		}
	}
	return "external_id"
}

// eachTableGap joins a type's table with its mappings grouped by target in
// one pass and hands fn every row or target that is not exactly one
// non-merged mapping on one existing row carrying that mapping's source id
// as its external_id.
func eachTableGap(ctx context.Context, db Querier, t source.Type, after time.Time, fn func(tableGap)) error {
	created, err := createdColumn(ctx, db, t.Table)
	if err != nil {
		return err
	}
	table := pgx.Identifier{t.Table}.Sanitize()
	placeholder := "false"
	if t.Placeholder {
		placeholder = "(SELECT " + adoptingPlaceholder("x") + " FROM " + table + " x WHERE x.id = d.id)"
	}
	late := "false"
	if created != "" {
		late = "(SELECT x." + pgx.Identifier{created}.Sanitize() + " > $3 FROM " + table + " x WHERE x.id = d.id)"
	}
	var g tableGap
	var rowID, target *int64
	var n int
	var ext, sid *string
	// The flags are looked up only for the rows returned (few), so the join
	// itself reads ids (and the row's external id) alone.
	return eachRow(ctx, db, "account for "+t.Table, []any{&rowID, &target, &n, &g.SourceIDs, &ext, &sid, &g.Placeholder, &g.CreatedAfter}, func() {
		out := tableGap{Mapped: n, SourceIDs: g.SourceIDs, Placeholder: g.Placeholder, CreatedAfter: g.CreatedAfter}
		if rowID != nil {
			out.ID = *rowID
		} else if target != nil {
			out.ID, out.Missing = *target, true
		}
		if ext != nil {
			out.ExternalID = *ext
		}
		if n == 1 && sid != nil {
			out.SourceIDs = []string{*sid}
		}
		fn(out)
	}, `SELECT d.id, m.target_id, COALESCE(m.n, 0), m.ids, d.external_id, m.sid,
			COALESCE(CASE WHEN d.id IS NOT NULL THEN `+placeholder+` END, false),
			COALESCE(CASE WHEN d.id IS NOT NULL THEN `+late+` END, false)
		FROM (SELECT id, `+pgx.Identifier{externalIDColumn(t)}.Sanitize()+` AS external_id FROM `+table+`) d
		FULL JOIN (SELECT target_id, count(*) FILTER (WHERE NOT is_merged) AS n,
				CASE WHEN count(*) FILTER (WHERE NOT is_merged) > 1
					THEN array_agg(source_id ORDER BY source_id COLLATE "C") FILTER (WHERE NOT is_merged) END AS ids,
				min(source_id) FILTER (WHERE NOT is_merged) AS sid
			FROM migration_externalidmapping
			WHERE source_system = 'okvet' AND source_type = $1 AND target_model = $2
			GROUP BY target_id) m ON m.target_id = d.id
		WHERE d.id IS NULL OR m.target_id IS NULL OR m.n <> 1 OR d.external_id <> m.sid
		ORDER BY COALESCE(d.id, m.target_id)`, t.SourceType, t.Table, after)
}

// eachMappingTo hands fn the source id of every mapping of a type that
// points at one of the given target ids.
func eachMappingTo(ctx context.Context, db Querier, t source.Type, targets []int64, fn func(sourceID string, target int64)) error {
	var sid string
	var target int64
	return eachRow(ctx, db, "read "+t.SourceType+" mappings", []any{&sid, &target}, func() { fn(sid, target) },
		`SELECT source_id, target_id FROM migration_externalidmapping
		WHERE source_system = 'okvet' AND source_type = $1 AND target_model = $2 AND target_id = ANY($3)
		ORDER BY source_id COLLATE "C"`, t.SourceType, t.Table, targets)
}

// eachWrongModel hands fn every mapping of a type whose target model is
// not the type's table.
func eachWrongModel(ctx context.Context, db Querier, t source.Type, fn func(sourceID, model string, target int64)) error {
	var sid, model string
	var target int64
	return eachRow(ctx, db, "read "+t.SourceType+" mappings", []any{&sid, &model, &target}, func() { fn(sid, model, target) },
		`SELECT source_id, target_model, target_id FROM migration_externalidmapping
		WHERE source_system = 'okvet' AND source_type = $1 AND target_model <> $2
		ORDER BY source_id`, t.SourceType, t.Table)
}

// createdColumn names the column that says when a table's row was created,
// or "" when it has none.
func createdColumn(ctx context.Context, db Querier, table string) (string, error) {
	var col string
	err := db.QueryRow(ctx, `SELECT COALESCE(min(column_name::text), '') FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND column_name IN ('created_at', 'uploaded_at')`, table).Scan(&col)
	if err != nil {
		return "", fmt.Errorf("read columns of %s: %w", table, err)
	}
	return col, nil
}

// eachRecordWithoutIssue hands fn every rejected or orphaned record of the
// batches that has no quality issue, open or resolved: its own, or one
// already open that a re-run linked to it (migration_issuebatch).
func eachRecordWithoutIssue(ctx context.Context, db Querier, batches []int64, fn func(sourceType, sourceID string, line int, status, file string)) error {
	var st, sid, status, file string
	var line int
	return eachRow(ctx, db, "check audit trail", []any{&st, &sid, &line, &status, &file}, func() { fn(st, sid, line, status, file) },
		// Two anti-joins rather than one NOT EXISTS with OR, so each is
		// planned as a hash anti-join over the issues, not a scan per record.
		`SELECT r.source_type, r.source_id, r.line_number, r.status, b.source_file
		FROM migration_migrationrecord r JOIN migration_migrationbatch b ON b.id = r.batch_id
		WHERE r.batch_id = ANY($1) AND (r.status = 'error' OR r.reason = 'orphaned')
		  AND NOT EXISTS (SELECT 1 FROM migration_dataqualityissue i WHERE i.record_id = r.id)
		  AND NOT EXISTS (SELECT 1 FROM migration_issuebatch l WHERE l.batch_id = r.batch_id AND l.record_id = r.id)
		  AND (r.source_id = '' OR NOT EXISTS (SELECT 1 FROM migration_dataqualityissue i
		      WHERE i.source_type = r.source_type AND i.source_id = r.source_id
		        AND (i.severity = 'critical' OR i.issue_type = 'orphaned_record')))
		ORDER BY r.batch_id, r.line_number`, batches)
}

// countDetachedIssues counts the critical issues of the batches that lost
// their record (every one is written with it).
func countDetachedIssues(ctx context.Context, db Querier, batches []int64) (int, error) {
	var n int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM migration_dataqualityissue
		WHERE batch_id = ANY($1) AND record_id IS NULL AND severity = 'critical'`, batches).Scan(&n); err != nil {
		return 0, fmt.Errorf("check audit trail: %w", err)
	}
	return n, nil
}

// readPerParent counts a table's rows per value of its parent column.
func readPerParent(ctx context.Context, db Querier, table, column string) (map[int64]int, error) {
	got := map[int64]int{}
	var pet int64
	var n int
	err := eachRow(ctx, db, "count "+table+" per "+column, []any{&pet, &n}, func() { got[pet] = n },
		"SELECT "+pgx.Identifier{column}.Sanitize()+", count(*) FROM "+pgx.Identifier{table}.Sanitize()+" GROUP BY 1")
	return got, err
}

// eachDocument hands fn every document: its row id, source id (or its row
// id when unmapped), stored file and recorded SHA-256.
func eachDocument(ctx context.Context, db Querier, fn func(row int64, id, file, sum string)) error {
	var row int64
	var id, file, sum string
	return eachRow(ctx, db, "read documents", []any{&row, &id, &file, &sum}, func() { fn(row, id, file, sum) },
		`SELECT d.id, COALESCE(m.source_id, d.id::text), d.file, d.sha256 FROM documents_document d
		LEFT JOIN migration_externalidmapping m ON m.target_model = 'documents_document' AND m.target_id = d.id AND NOT m.is_merged
		ORDER BY 2`)
}

// eachIssueCount hands fn the quality issues of real, completed batches,
// counted per record type, severity and issue type.
func eachIssueCount(ctx context.Context, db Querier, fn func(IssueCount)) error {
	var ic IssueCount
	return eachRow(ctx, db, "read quality issues", []any{&ic.RecordType, &ic.Severity, &ic.Type, &ic.Open, &ic.Resolved}, func() { fn(ic) },
		`SELECT COALESCE(i.source_type, ''), i.severity, i.issue_type,
			count(*) FILTER (WHERE NOT i.resolved), count(*) FILTER (WHERE i.resolved)
		FROM migration_dataqualityissue i JOIN migration_migrationbatch b ON b.id = i.batch_id
		WHERE b.status = 'completed' AND NOT b.is_dry_run
		GROUP BY 1, 2, 3`)
}

// eachResolutionCount hands fn the resolved quality issues of real,
// completed batches counted per severity, resolver and resolution.
func eachResolutionCount(ctx context.Context, db Querier, fn func(ResolutionCount)) error {
	var rc ResolutionCount
	return eachRow(ctx, db, "read issue resolutions", []any{&rc.Severity, &rc.By, &rc.Resolution, &rc.Issues}, func() { fn(rc) },
		`SELECT i.severity, i.resolved_by_name, i.resolution, count(*)
		FROM migration_dataqualityissue i JOIN migration_migrationbatch b ON b.id = i.batch_id
		WHERE b.status = 'completed' AND NOT b.is_dry_run AND i.resolved
		GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2, 3`)
}

// eachResolvedCritical hands fn up to limit resolved critical issues of
// real, completed batches, in the order they were resolved.
func eachResolvedCritical(ctx context.Context, db Querier, limit int, fn func(ResolvedIssue)) error {
	var ri ResolvedIssue
	var at *time.Time
	return eachRow(ctx, db, "read resolved critical issues",
		[]any{&ri.ID, &ri.RecordType, &ri.SourceID, &ri.IssueType, &ri.Field, &ri.By, &at, &ri.Resolution},
		func() {
			ri.At = time.Time{}
			if at != nil {
				ri.At = at.UTC()
			}
			fn(ri)
		},
		`SELECT i.id, i.source_type, i.source_id, i.issue_type, i.field_name, i.resolved_by_name, i.resolved_at, i.resolution
		FROM migration_dataqualityissue i JOIN migration_migrationbatch b ON b.id = i.batch_id
		WHERE b.status = 'completed' AND NOT b.is_dry_run AND i.resolved AND i.severity = 'critical'
		ORDER BY i.resolved_at, i.id LIMIT $1`, limit)
}

// eachLoginWithoutProfile hands fn every login (accounts_user) no owner
// profile uses: Pet-Friendly's own accounts, or owner logins not from this
// migration; joinedAfter says whether it joined after the given time.
func eachLoginWithoutProfile(ctx context.Context, db Querier, after time.Time, fn func(l Login, joinedAfter bool)) error {
	var l Login
	var late bool
	return eachRow(ctx, db, "read accounts_user", []any{&l.ID, &l.Email, &l.Role, &l.IsActive, &l.IsStaff, &l.IsSuperuser, &late},
		func() { fn(l, late) },
		`SELECT u.id, u.email, u.role, u.is_active, u.is_staff, u.is_superuser, u.date_joined > $1 FROM accounts_user u
		WHERE NOT EXISTS (SELECT 1 FROM vet_clinic_ownerprofile p WHERE p.user_id = u.id)
		ORDER BY u.id`, after)
}

// readMappingBatches maps source ids of one type to the batch that mapped them.
func readMappingBatches(ctx context.Context, db Querier, sourceType string, ids []string) (map[string]int64, error) {
	out := map[string]int64{}
	var id string
	var batch int64
	err := eachRow(ctx, db, "read "+sourceType+" mappings", []any{&id, &batch}, func() { out[id] = batch },
		`SELECT source_id, COALESCE(batch_id, 0) FROM migration_externalidmapping
		WHERE source_system = 'okvet' AND source_type = $1 AND source_id = ANY($2)`, sourceType, uniqueIDs(ids))
	return out, err
}

// readEmailHolders lists, per lower-cased e-mail, the owner profiles whose
// login holds it.
func readEmailHolders(ctx context.Context, db Querier, emails []string) (map[string][]int64, error) {
	out := map[string][]int64{}
	var email string
	var owner int64
	err := eachRow(ctx, db, "read owners by e-mail", []any{&email, &owner}, func() { out[email] = append(out[email], owner) },
		`SELECT lower(u.email), p.id FROM accounts_user u JOIN vet_clinic_ownerprofile p ON p.user_id = u.id
		WHERE lower(u.email) = ANY($1)`, uniqueIDs(emails))
	return out, err
}

// eachUntracedIssue hands fn every critical issue of a real, completed
// batch marked resolved without a resolution text, a time or a resolver.
func eachUntracedIssue(ctx context.Context, db Querier, fn func(UntracedIssue)) error {
	var u UntracedIssue
	var noText, noTime, noBy bool
	return eachRow(ctx, db, "read resolved critical issues", []any{&u.ID, &u.Type, &u.SourceID, &u.Issue, &noText, &noTime, &noBy},
		func() {
			u.Lacks = nil
			for _, l := range []struct {
				lacks bool
				name  string
			}{{noText, "resolution"}, {noTime, "resolved_at"}, {noBy, "resolved_by"}} {
				if l.lacks {
					u.Lacks = append(u.Lacks, l.name)
				}
			}
			fn(u)
		},
		`SELECT id, source_type, source_id, issue_type, no_text, no_time, no_by FROM (
			SELECT i.id, COALESCE(i.source_type, '') AS source_type, COALESCE(i.source_id, '') AS source_id, i.issue_type,
				btrim(COALESCE(i.resolution, '')) = '' AS no_text, i.resolved_at IS NULL AS no_time,
				btrim(COALESCE(i.resolved_by_name, '')) = '' AND i.resolved_by_id IS NULL AS no_by
			FROM migration_dataqualityissue i JOIN migration_migrationbatch b ON b.id = i.batch_id
			WHERE i.resolved AND i.severity = 'critical' AND b.status = 'completed' AND NOT b.is_dry_run) q
		WHERE no_text OR no_time OR no_by ORDER BY id`)
}
