package review

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/reconcile"
	"github.com/petfriendly/recon/source"
	"github.com/petfriendly/recon/source/normalize"
)

// Change is one field to set: the canonical source field name (nombre) or
// its destination column (name), and the value as the operator types it.
type Change struct {
	Field string
	Value string
}

// CorrectRequest is one audited manual edit of a destination row.
type CorrectRequest struct {
	Type     string // any name of a type: "pet", "pets"
	SourceID string
	Changes  []Change
	Reason   string
	By       string
	At       time.Time
	IssueID  int64           // the issue that prompted it, if any
	Mapping  *source.Mapping // vocabularies (species, sex, status words) used at import
}

// Applied is one correction written, with its audit row id.
type Applied struct {
	reconcile.Correction
	ID     int64  `json:"id"`
	Column string `json:"column"`
	Table  string `json:"table"`
	Target int64  `json:"target_id"`
}

// CorrectableFields lists the fields of a type an operator may correct:
// those verify compares (not ids, references or file paths).
func CorrectableFields(typ string) ([]source.Field, error) {
	t, err := lookupType(typ)
	if err != nil {
		return nil, err
	}
	return reconcile.ComparedFields(t), nil
}

// resolveField finds a correctable field by canonical name or column.
func resolveField(t source.Type, name string) (source.Field, error) {
	name = strings.TrimSpace(name)
	fields := reconcile.ComparedFields(t)
	for _, f := range fields {
		if f.Name == name {
			return f, nil
		}
	}
	for _, f := range fields {
		if f.Column != "" && f.Column == name {
			return f, nil
		}
	}
	for _, f := range t.Fields {
		if f.Name == name || f.Column != "" && f.Column == name {
			return f, &Error{Code: CodeNotCorrectable, Type: t.SourceType, Field: name}
		}
	}
	names := make([]string, 0, len(fields))
	for _, f := range fields {
		names = append(names, f.Name)
	}
	return source.Field{}, &Error{Code: CodeUnknownField, Type: t.SourceType, Field: name, Detail: strings.Join(names, ", ")}
}

// Correct applies the changes to the row mapped to the source id, in one
// transaction: each value goes through the importer's normaliser for its
// field, is written, read back in verify's canonical form and audited in
// migration_correction. Nothing is written when any change is refused.
func Correct(ctx context.Context, db DB, req CorrectRequest) ([]Applied, error) {
	t, err := lookupType(req.Type)
	if err != nil {
		return nil, err
	}
	req.SourceID = strings.TrimSpace(req.SourceID)
	req.Reason, req.By = strings.TrimSpace(req.Reason), strings.TrimSpace(req.By)
	if len(req.Changes) == 0 {
		return nil, &Error{Code: CodeNoChanges}
	}
	if req.Reason == "" {
		return nil, &Error{Code: CodeEmptyReason}
	}
	if req.By == "" {
		return nil, &Error{Code: CodeEmptyBy}
	}
	if req.At.IsZero() {
		return nil, errors.New("correct: no time given")
	}
	fields := make([]source.Field, len(req.Changes))
	seen := map[string]bool{}
	for i, c := range req.Changes {
		f, err := resolveField(t, c.Field)
		if err != nil {
			return nil, err
		}
		if seen[f.Name] {
			return nil, &Error{Code: CodeDuplicateField, Field: f.Name}
		}
		seen[f.Name] = true
		fields[i] = f
	}
	var out []Applied
	err = pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		// The import lock, for this transaction: a correction and an import
		// (or rollback) never interleave, so neither overwrites the other
		// unseen; an import waiting for it starts after the commit and keeps
		// the corrected value (correction_kept).
		// It waits a moment, not for a whole import: a session that is
		// ending (a cancelled statement's) may still hold it.
		if _, err := tx.Exec(ctx, `SET LOCAL lock_timeout = '1s'`); err != nil {
			return fmt.Errorf("correct: take the import lock: %w", err)
		}
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, importer.LockKey); err != nil {
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) || pgErr.Code != "55P03" { // lock_not_available: lock_timeout ran out
				return fmt.Errorf("correct: take the import lock: %w", err)
			}
			var who string
			_ = db.QueryRow(ctx, `SELECT concat_ws(' ', command, operator) FROM migration_lockholder ORDER BY 1 LIMIT 1`).Scan(&who)
			return &Error{Code: CodeImportRunning, Detail: who}
		}
		if req.IssueID != 0 {
			if _, err := GetIssue(ctx, tx, req.IssueID); err != nil {
				return err
			}
		}
		c := corrector{tx: tx, t: t, req: req}
		if err := c.load(ctx); err != nil {
			return err
		}
		for i, ch := range req.Changes {
			a, err := c.apply(ctx, fields[i], ch.Value)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type corrector struct {
	tx   pgx.Tx
	t    source.Type
	req  CorrectRequest
	dest reconcile.Dest
}

// load finds and locks the destination row.
func (c *corrector) load(ctx context.Context) error {
	var target int64
	var merged bool
	err := c.tx.QueryRow(ctx, `SELECT target_id, is_merged FROM migration_externalidmapping
		WHERE source_system = 'okvet' AND source_type = $1 AND source_id = $2`, c.t.SourceType, c.req.SourceID).Scan(&target, &merged)
	if errors.Is(err, pgx.ErrNoRows) || c.req.SourceID == "" {
		return &Error{Code: CodeUnknownID, Type: c.t.SourceType, SourceID: c.req.SourceID}
	}
	if err != nil {
		return fmt.Errorf("find %s %s: %w", c.t.SourceType, c.req.SourceID, err)
	}
	if merged {
		survivor, err := sourceIDOf(ctx, c.tx, c.t.SourceType, target)
		if err != nil {
			return err
		}
		return &Error{Code: CodeMerged, Type: c.t.SourceType, SourceID: c.req.SourceID, Detail: survivor}
	}
	// Lock the row so a concurrent edit or re-import cannot slip between
	// the old value read here and the audit row.
	tag, err := c.tx.Exec(ctx, fmt.Sprintf("SELECT 1 FROM %s WHERE id = $1 FOR UPDATE", pgx.Identifier{c.t.Table}.Sanitize()), target)
	if err != nil {
		return fmt.Errorf("lock %s #%d: %w", c.t.Table, target, err)
	}
	if tag.RowsAffected() == 0 {
		return &Error{Code: CodeRowMissing, Type: c.t.SourceType, SourceID: c.req.SourceID}
	}
	return c.reload(ctx)
}

// reload reads the row back in verify's canonical form.
func (c *corrector) reload(ctx context.Context) error {
	dests, err := destinationsOf(c.tx).Dest(ctx, c.t, []string{c.req.SourceID})
	if err != nil {
		return err
	}
	d, ok := dests[c.req.SourceID]
	if !ok || !d.Exists {
		return &Error{Code: CodeRowMissing, Type: c.t.SourceType, SourceID: c.req.SourceID}
	}
	c.dest = d
	return nil
}

// normalise runs the value through the importer's normaliser. It returns
// the canonical value; an empty Value means the operator clears the field.
func (c *corrector) normalise(f source.Field, input string) (source.Value, error) {
	raw := map[string]string{f.Name: input}
	if f.Kind == source.KindDocument {
		// The document number is read for its type, as at import.
		for _, g := range c.t.Fields {
			if g.Kind == source.KindDocType {
				raw[g.Name] = c.dest.Fields[g.Name]
			}
		}
	}
	vals, issues := source.Normalize(c.t, raw, c.req.Mapping, c.req.At)
	for _, is := range issues {
		if is.Field == f.Name && is.Severity != source.SevInfo {
			return source.Value{}, &Error{Code: CodeInvalidValue, Type: c.t.SourceType, SourceID: c.req.SourceID,
				Field: f.Name, Value: input, Detail: is.Message}
		}
	}
	v := vals[f.Name]
	if !v.Valid && !normalize.IsBlank(input) && !normalize.Placeholder(input) {
		return source.Value{}, &Error{Code: CodeInvalidValue, Type: c.t.SourceType, SourceID: c.req.SourceID,
			Field: f.Name, Value: input, Detail: "not a value of kind " + string(f.Kind)}
	}
	return v, nil
}

// column describes the destination column of a field.
type column struct {
	name, sqlType string
	notNull       bool
	text          bool // text or varchar: emptied to '', as Django stores a blank CharField
}

func (c *corrector) column(ctx context.Context, table, name string) (column, error) {
	col := column{name: name}
	err := c.tx.QueryRow(ctx, `SELECT format_type(a.atttypid, a.atttypmod), a.attnotnull, a.atttypid IN ('text'::regtype, 'varchar'::regtype)
		FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attname = $2 AND NOT a.attisdropped`,
		table, name).Scan(&col.sqlType, &col.notNull, &col.text)
	if err != nil {
		return col, fmt.Errorf("describe %s.%s: %w", table, name, err)
	}
	return col, nil
}

func (c *corrector) apply(ctx context.Context, f source.Field, input string) (Applied, error) {
	v, err := c.normalise(f, input)
	if err != nil {
		return Applied{}, err
	}
	old := c.dest.Fields[f.Name]
	a := Applied{Table: c.t.Table, Target: c.dest.Target, Column: f.Column,
		Correction: reconcile.Correction{Type: c.t.Name, SourceID: c.req.SourceID, Field: f.Name, Old: old,
			By: c.req.By, At: c.req.At.UTC().Truncate(time.Microsecond), Reason: c.req.Reason}}
	empty := !v.Valid
	if empty && (f.Kind == source.KindName || f.Kind == source.KindEmail || f.Kind == source.KindBool ||
		f.Kind == source.KindSpecies || f.Kind == source.KindSex || f.Kind == source.KindStatus) {
		// Names and e-mails identify people; the vocabularies have a word for "unknown".
		return a, &Error{Code: CodeEmptyValue, Field: f.Name}
	}
	if err := c.write(ctx, f, v, empty, &a); err != nil {
		return a, err
	}
	if err := c.reload(ctx); err != nil {
		return a, err
	}
	a.New = c.dest.Fields[f.Name]
	if a.New == old {
		return a, &Error{Code: CodeUnchanged, Type: c.t.SourceType, SourceID: c.req.SourceID, Field: f.Name, Value: old}
	}
	var issue any
	if c.req.IssueID != 0 {
		issue = c.req.IssueID
	}
	err = c.tx.QueryRow(ctx, `INSERT INTO migration_correction (source_system, source_type, source_id, field_name, target_model, target_id,
			column_name, old_value, new_value, input_value, reason, corrected_by, corrected_at, issue_id)
		VALUES ('okvet', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		c.t.SourceType, c.req.SourceID, f.Name, c.t.Table, c.dest.Target, a.Column, old, a.New, input, c.req.Reason,
		c.req.By, a.At, issue).Scan(&a.ID)
	if err != nil {
		return a, fmt.Errorf("audit correction of %s %s %s: %w", c.t.SourceType, c.req.SourceID, f.Name, err)
	}
	return a, nil
}

// write stores the canonical value in the destination row.
func (c *corrector) write(ctx context.Context, f source.Field, v source.Value, empty bool, a *Applied) error {
	id := c.dest.Target
	table := pgx.Identifier{c.t.Table}.Sanitize()
	exec := func(sql string, args ...any) error {
		if _, err := c.tx.Exec(ctx, sql, args...); err != nil {
			return fmt.Errorf("correct %s %s %s: %w", c.t.SourceType, c.req.SourceID, f.Name, err)
		}
		return nil
	}
	switch {
	case f.Kind == source.KindEmail && f.Table != "":
		a.Table, a.Column = f.Table, f.Column
		// Any other account holding the address, an owner or a staff user
		// (who has no owner profile): the column is unique.
		var other, role string
		var owner bool
		err := c.tx.QueryRow(ctx, `SELECT COALESCE(m.source_id, '#' || p.id, '#' || u.id), p.id IS NOT NULL, u.role FROM accounts_user u
			LEFT JOIN vet_clinic_ownerprofile p ON p.user_id = u.id
			LEFT JOIN migration_externalidmapping m ON m.source_type = 'client' AND m.target_id = p.id AND NOT m.is_merged
			WHERE lower(u.email) = lower($1) AND u.id IS DISTINCT FROM (SELECT user_id FROM vet_clinic_ownerprofile WHERE id = $2)
			ORDER BY p.id IS NULL LIMIT 1`, v.Text, id).Scan(&other, &owner, &role)
		if err == nil && owner {
			return &Error{Code: CodeEmailTaken, Field: f.Name, Value: v.Text, Detail: other}
		}
		if err == nil {
			return &Error{Code: CodeEmailTakenByUser, Field: f.Name, Value: v.Text, Detail: role}
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("check e-mail %s: %w", v.Text, err)
		}
		return exec(`UPDATE accounts_user SET email = $2 WHERE id = (SELECT user_id FROM vet_clinic_ownerprofile WHERE id = $1)`, id, v.Text)
	case f.Within != "":
		// The column holds both parts: replace one, keep the other, in Bogotá time.
		a.Column = f.Within
		if empty {
			return &Error{Code: CodeEmptyValue, Field: f.Name}
		}
		col := pgx.Identifier{f.Within}.Sanitize()
		if f.Kind == source.KindDate {
			return exec(`UPDATE `+table+` SET `+col+` =
				($2::text::date + (`+col+` AT TIME ZONE 'America/Bogota')::time) AT TIME ZONE 'America/Bogota' WHERE id = $1`, id, v.Text)
		}
		return exec(`UPDATE `+table+` SET `+col+` =
			((`+col+` AT TIME ZONE 'America/Bogota')::date + $2::text::time) AT TIME ZONE 'America/Bogota' WHERE id = $1`, id, v.Text)
	}
	col, err := c.column(ctx, c.t.Table, f.Column)
	if err != nil {
		return err
	}
	var val any = v.Text
	if empty {
		switch {
		case col.text:
			val = ""
		case col.notNull:
			return &Error{Code: CodeEmptyValue, Field: f.Name}
		default:
			val = nil
		}
	}
	set := fmt.Sprintf("%s = $2::text::%s", pgx.Identifier{f.Column}.Sanitize(), col.sqlType)
	args := []any{id, val}
	switch {
	case hasComputed(c.t, f, "first_name"):
		// accounts_user keeps the name split, as the importer wrote it.
		first, last := normalize.SplitName(v.Text)
		if err := exec(`UPDATE accounts_user SET first_name = $2, last_name = $3
			WHERE id = (SELECT user_id FROM vet_clinic_ownerprofile WHERE id = $1)`, id, first, last); err != nil {
			return err
		}
	case hasComputed(c.t, f, "data_consent_at"):
		// When consent was given stays with the consent.
		var at any
		if v.Bool && !v.Time.IsZero() {
			at = v.Time
		}
		set += ", data_consent_at = CASE WHEN $2::text::boolean THEN COALESCE($3::timestamptz, data_consent_at) END"
		args = append(args, at)
	}
	if hasUpdatedAt(c.t) {
		set += fmt.Sprintf(", updated_at = $%d", len(args)+1)
		args = append(args, c.req.At)
	}
	return exec(fmt.Sprintf("UPDATE %s SET %s WHERE id = $1", table, set), args...)
}

// hasComputed reports whether the import rules compute column from field f
// (a correction must rewrite it too).
func hasComputed(t source.Type, f source.Field, column string) bool {
	return slices.ContainsFunc(t.ComputedFrom(f.Name), func(c source.DestColumn) bool { return c.Name == column })
}

// hasUpdatedAt reports whether the type's table keeps the time of its last
// change (written by the importer as the batch's time).
func hasUpdatedAt(t source.Type) bool {
	return slices.ContainsFunc(t.Columns(t.Table), func(c source.DestColumn) bool { return c.Name == "updated_at" && c.Now })
}
