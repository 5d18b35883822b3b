package reconcile

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/source"
)

// Querier is the part of a pool or transaction the adapter needs.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// destExpr says how to read one source field back from the destination
// as canonical text.
func destExpr(t source.Type, f source.Field) string {
	col := "d." + pgx.Identifier{f.Column}.Sanitize()
	if f.Table == "accounts_user" {
		// An owner's login fields live in its user (joined as u).
		col = "u." + pgx.Identifier{f.Column}.Sanitize()
	}
	if f.Within != "" {
		// A date or time part of a timestamp column, in Bogotá time.
		part := "YYYY-MM-DD"
		if f.Kind == source.KindTime {
			part = "HH24:MI:SS"
		}
		return "COALESCE(to_char(d." + pgx.Identifier{f.Within}.Sanitize() + " AT TIME ZONE 'America/Bogota', '" + part + "'), '')"
	}
	switch f.Kind {
	case source.KindDate:
		return "COALESCE(to_char(" + col + ", 'YYYY-MM-DD'), '')"
	case source.KindDateTime:
		// Bogotá has had no daylight saving since 1993: a fixed offset.
		return "COALESCE(to_char(" + col + " AT TIME ZONE 'America/Bogota', 'YYYY-MM-DD\"T\"HH24:MI:SS') || '-05:00', '')"
	case source.KindBool, source.KindMoney, source.KindDecimal, source.KindWeight, source.KindInt:
		return "COALESCE(" + col + "::text, '')"
	}
	return "COALESCE(" + col + ", '')"
}

// parentColumns are the reference fields stored as foreign keys.
func parentColumns(t source.Type) []source.Field {
	var out []source.Field
	for _, f := range t.Fields {
		if f.Kind == source.KindRef && f.Column != "" {
			out = append(out, f)
		}
	}
	return out
}

// destColumns lists the select expressions of a type's destination row
// (compared fields, then parent ids) and the join they need.
func destColumns(t source.Type) (sel []string, join string) {
	for _, f := range destFields(t) {
		sel = append(sel, destExpr(t, f))
	}
	for _, f := range parentColumns(t) {
		sel = append(sel, "COALESCE(d."+pgx.Identifier{f.Column}.Sanitize()+", 0)")
	}
	for _, f := range destFields(t) {
		if f.Table == "accounts_user" {
			join = " LEFT JOIN accounts_user u ON u.id = d.user_id"
		}
	}
	return sel, join
}

// destQuery reads the mapped destination rows of a list of source ids.
func destQuery(t source.Type) (string, []source.Field, []source.Field) {
	fields, parents := destFields(t), parentColumns(t)
	sel, join := destColumns(t)
	q := fmt.Sprintf(`SELECT m.source_id, m.target_id, m.is_merged, d.id IS NOT NULL%s
		FROM unnest($1::text[]) AS s(source_id)
		JOIN migration_externalidmapping m ON m.source_system = 'okvet' AND m.source_type = $2 AND m.source_id = s.source_id
		LEFT JOIN %s d ON d.id = m.target_id%s`,
		prefixComma(sel), pgx.Identifier{t.Table}.Sanitize(), join)
	return q, fields, parents
}

func prefixComma(cols []string) string {
	if len(cols) == 0 {
		return ""
	}
	return ", " + strings.Join(cols, ", ")
}

// readDest returns the destination rows of the given source ids.
func readDest(ctx context.Context, db Querier, t source.Type, ids []string) (map[string]Dest, error) {
	q, fields, parents := destQuery(t)
	rows, err := db.Query(ctx, q, ids, t.SourceType)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", t.Table, err)
	}
	defer rows.Close()
	out := make(map[string]Dest, len(ids))
	for rows.Next() {
		var d Dest
		texts := make([]string, len(fields))
		pids := make([]int64, len(parents))
		dst := []any{&d.SourceID, &d.Target, &d.Merged, &d.Exists}
		for i := range texts {
			dst = append(dst, &texts[i])
		}
		for i := range pids {
			dst = append(dst, &pids[i])
		}
		if err := rows.Scan(dst...); err != nil {
			return nil, fmt.Errorf("read %s: %w", t.Table, err)
		}
		d.Fields = make(map[string]string, len(fields))
		for i, f := range fields {
			d.Fields[f.Name] = texts[i]
		}
		d.Parents = make(map[string]int64, len(parents))
		for i, f := range parents {
			d.Parents[f.Name] = pids[i]
		}
		out[d.SourceID] = d
	}
	return out, rows.Err()
}

// outcome is the recorded fate of a source row.
type outcome struct {
	status, reason string
}

// readOutcomes returns the latest recorded outcome of each source id among
// completed, real (not dry-run, not rolled back) batches.
func readOutcomes(ctx context.Context, db Querier, sourceType string, ids []string) (map[string]outcome, error) {
	rows, err := db.Query(ctx, `SELECT DISTINCT ON (r.source_id) r.source_id, r.status, r.reason
		FROM migration_migrationrecord r JOIN migration_migrationbatch b ON b.id = r.batch_id
		WHERE r.source_type = $1 AND r.source_id = ANY($2) AND b.status = 'completed' AND NOT b.is_dry_run
		  AND r.status NOT IN ('unchanged', 'updated') AND r.reason <> 'already_imported'
		ORDER BY r.source_id, r.id DESC`, sourceType, ids)
	if err != nil {
		return nil, fmt.Errorf("read %s outcomes: %w", sourceType, err)
	}
	out := make(map[string]outcome, len(ids))
	var id string
	var o outcome
	_, err = pgx.ForEachRow(rows, []any{&id, &o.status, &o.reason}, func() error {
		out[id] = o
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s outcomes: %w", sourceType, err)
	}
	return out, nil
}

// uniqueIDs drops repeated ids (a chunk names the same parent many times),
// keeping the first occurrence's order.
func uniqueIDs(ids []string) []string {
	seen := make(map[string]struct{}, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if _, ok := seen[id]; !ok {
			seen[id] = struct{}{}
			out = append(out, id)
		}
	}
	return out
}

// readTargets maps source ids of one type to their target ids.
func readTargets(ctx context.Context, db Querier, sourceType string, ids []string) (map[string]int64, error) {
	return scanTargets(ctx, db, sourceType, `SELECT source_id, target_id FROM migration_externalidmapping
		WHERE source_system = 'okvet' AND source_type = $1 AND source_id = ANY($2)`, sourceType, uniqueIDs(ids))
}

// readAllTargets maps every source id of one type to its target id.
func readAllTargets(ctx context.Context, db Querier, sourceType string) (map[string]int64, error) {
	return scanTargets(ctx, db, sourceType, `SELECT source_id, target_id FROM migration_externalidmapping
		WHERE source_system = 'okvet' AND source_type = $1`, sourceType)
}

func scanTargets(ctx context.Context, db Querier, sourceType, sql string, args ...any) (map[string]int64, error) {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("read %s mappings: %w", sourceType, err)
	}
	out := map[string]int64{}
	var id string
	var target int64
	_, err = pgx.ForEachRow(rows, []any{&id, &target}, func() error {
		out[id] = target
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s mappings: %w", sourceType, err)
	}
	return out, nil
}

// Execer runs statements; a pool or a transaction.
type Execer interface {
	Querier
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// SaveRun stores the run in migration_verificationrun and sets its RunID.
func SaveRun(ctx context.Context, db Execer, r *Result) error {
	err := db.QueryRow(ctx, `INSERT INTO migration_verificationrun (run_at, operator, ok, signoff_ready, fingerprint, summary)
		VALUES ($1, $2, $3, $4, $5, '{}'::jsonb) RETURNING id`, r.GeneratedAt, r.Operator, r.OK, r.SignoffReady, r.Fingerprint).Scan(&r.RunID)
	if err != nil {
		return fmt.Errorf("save verification run: %w", err)
	}
	if _, err := db.Exec(ctx, `UPDATE migration_verificationrun SET summary = $2 WHERE id = $1`, r.RunID, r); err != nil {
		return fmt.Errorf("save verification run: %w", err)
	}
	return nil
}

// LoadRun reads a stored run; id 0 means the latest.
func LoadRun(ctx context.Context, db Querier, id int64) (Result, error) {
	var r Result
	q := `SELECT summary FROM migration_verificationrun WHERE id = $1`
	args := []any{id}
	if id == 0 {
		q, args = `SELECT summary FROM migration_verificationrun ORDER BY id DESC LIMIT 1`, nil
	}
	if err := db.QueryRow(ctx, q, args...).Scan(&r); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return r, fmt.Errorf("verification run %d not found", id)
		}
		return r, fmt.Errorf("load verification run: %w", err)
	}
	return r, nil
}

// RunIDs lists the stored runs, oldest first.
func RunIDs(ctx context.Context, db Querier) ([]int64, error) {
	rows, err := db.Query(ctx, `SELECT id FROM migration_verificationrun ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list verification runs: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// ReadDest returns the mapped destination rows of the given source ids of
// one type, each field in the canonical text verify compares.
func ReadDest(ctx context.Context, db Querier, t source.Type, ids []string) (map[string]Dest, error) {
	return readDest(ctx, db, t, ids)
}

// CorrectionKey names one corrected field: a type name, a source id and a
// canonical field name.
type CorrectionKey struct{ Type, SourceID, Field string }

// ReadCorrections returns the audited manual corrections (migration_correction),
// oldest first, optionally only those of one source type and id: the whole
// audit history, including corrections of rows a rollback removed since.
func ReadCorrections(ctx context.Context, db Querier, sourceType, sourceID string) ([]Correction, error) {
	return readCorrections(ctx, db, sourceType, sourceID, false)
}

// readCorrections reads corrections; current keeps only those of rows the
// source id is still mapped to, which are what a verification can rely on.
func readCorrections(ctx context.Context, db Querier, sourceType, sourceID string, current bool) ([]Correction, error) {
	rows, err := db.Query(ctx, `SELECT c.source_type, c.source_id, c.field_name, c.old_value, c.new_value, c.corrected_by, c.corrected_at, c.reason
		FROM migration_correction c
		WHERE c.source_system = 'okvet' AND ($1::text = '' OR c.source_type = $1) AND ($2::text = '' OR c.source_id = $2)
		  AND (NOT $3 OR EXISTS (SELECT 1 FROM migration_externalidmapping m WHERE m.source_system = c.source_system
		      AND m.source_type = c.source_type AND m.source_id = c.source_id AND m.target_id = c.target_id AND NOT m.is_merged))
		ORDER BY c.id`, sourceType, sourceID, current)
	if err != nil {
		return nil, fmt.Errorf("read corrections: %w", err)
	}
	out := []Correction{}
	var c Correction
	_, err = pgx.ForEachRow(rows, []any{&c.Type, &c.SourceID, &c.Field, &c.Old, &c.New, &c.By, &c.At, &c.Reason}, func() error {
		if t, ok := source.TypeByName(c.Type); ok {
			c.Type = t.Name
		}
		c.At = c.At.UTC()
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read corrections: %w", err)
	}
	return out, nil
}

// LatestCorrections keys each corrected field to its latest correction.
func LatestCorrections(list []Correction) map[CorrectionKey]Correction {
	out := make(map[CorrectionKey]Correction, len(list))
	for _, c := range list { // oldest first: later ones win
		out[CorrectionKey{c.Type, c.SourceID, c.Field}] = c
	}
	return out
}

// Streaming reads a type's mappings and destination rows as two streams
// ordered by target id, merged here, instead of one index probe per source
// id: the server reads each table once, in order, without sorting the wide
// rows, and the first rows arrive at once. Target ids were reserved in the
// order the importer read the file, so the merged stream follows the
// export file's order closely (see destWindow).
func mappingStreamQuery() string {
	return `SELECT source_id, target_id, is_merged FROM migration_externalidmapping
		WHERE source_system = 'okvet' AND source_type = $1 AND target_model = $2
		ORDER BY target_id, id`
}

// destStreamQuery reads a type's table in id order: the id, the external
// id (for the table's accounting), then the compared columns.
func destStreamQuery(t source.Type) string {
	sel, join := destColumns(t)
	return fmt.Sprintf(`SELECT d.id, d.%s%s FROM %s d%s ORDER BY d.id`, pgx.Identifier{externalIDColumn(t)}.Sanitize(),
		prefixComma(sel), pgx.Identifier{t.Table}.Sanitize(), join)
}

// destStream yields, for every mapping of a type in target-id order, the
// Dest verify compares (Exists false when the target row is gone), and
// tells acct every row and mapping it passes.
type destStream struct {
	maps, dest pgx.Rows
	fields     []source.Field
	parents    []source.Field
	cur        Dest // the current destination row (Target = its id)
	curOK      bool
	destDone   bool
	acct       tableAccount
	// The scan targets, made once: each row's values are copied out.
	row      scanRow
	scanDest []any
}

type scanRow struct {
	id    int64
	ext   *string
	texts []string
	pids  []int64
}

// streamer is a pool: the two streams need connections of their own while
// the verifier keeps querying.
type streamer interface {
	Querier
	Config() *pgxpool.Config
}

// poolConns is the size of db's pool, 0 when db is not a pool: what
// Options.Reads may ask of it.
func poolConns(db Querier) int {
	if p, ok := db.(streamer); ok {
		return int(p.Config().MaxConns)
	}
	return 0
}

func openDestStream(ctx context.Context, db Querier, t source.Type) (*destStream, error) {
	s := &destStream{fields: destFields(t), parents: parentColumns(t)}
	s.row.texts, s.row.pids = make([]string, len(s.fields)), make([]int64, len(s.parents))
	s.scanDest = append(s.scanDest, &s.row.id, &s.row.ext)
	for i := range s.row.texts {
		s.scanDest = append(s.scanDest, &s.row.texts[i])
	}
	for i := range s.row.pids {
		s.scanDest = append(s.scanDest, &s.row.pids[i])
	}
	var err error
	if s.maps, err = db.Query(ctx, mappingStreamQuery(), t.SourceType, t.Table); err != nil {
		return nil, fmt.Errorf("read %s mappings: %w", t.SourceType, err)
	}
	if s.dest, err = db.Query(ctx, destStreamQuery(t)); err != nil {
		s.close()
		return nil, fmt.Errorf("read %s: %w", t.Table, err)
	}
	return s, nil
}

// advance reads destination rows until the current one's id reaches target.
func (s *destStream) advance(target int64) error {
	for !s.destDone && (!s.curOK || s.cur.Target < target) {
		if !s.dest.Next() {
			s.destDone, s.curOK = true, false
			return s.dest.Err()
		}
		if err := s.dest.Scan(s.scanDest...); err != nil {
			return err
		}
		r := &s.row
		s.acct.row(r.id, r.ext)
		d := Dest{Exists: true, Target: r.id, Fields: make(map[string]string, len(s.fields)), Parents: make(map[string]int64, len(s.parents))}
		for i, f := range s.fields {
			d.Fields[f.Name] = r.texts[i]
		}
		for i, f := range s.parents {
			d.Parents[f.Name] = r.pids[i]
		}
		s.cur, s.curOK = d, true
	}
	return nil
}

// next returns the next mapping with its destination row; ok is false at
// the end. Merged duplicates share their survivor's row (read only).
func (s *destStream) next() (d Dest, ok bool, err error) {
	if !s.maps.Next() {
		return d, false, s.maps.Err()
	}
	if err := s.maps.Scan(&d.SourceID, &d.Target, &d.Merged); err != nil {
		return d, false, err
	}
	if err := s.advance(d.Target); err != nil {
		return d, false, err
	}
	found := s.curOK && s.cur.Target == d.Target
	if found {
		d.Exists, d.Fields, d.Parents = true, s.cur.Fields, s.cur.Parents
	}
	s.acct.mapping(d.SourceID, d.Target, d.Merged, found)
	return d, true, nil
}

// drain reads both streams to their ends, so acct has told every row and
// mapping, and returns the account.
func (s *destStream) drain() (*tableAccount, error) {
	for {
		_, ok, err := s.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
	}
	if err := s.advance(math.MaxInt64); err != nil {
		return nil, err
	}
	s.acct.finish()
	return &s.acct, nil
}

func (s *destStream) close() {
	for _, r := range []pgx.Rows{s.maps, s.dest} {
		if r != nil {
			r.Close()
		}
	}
}
