package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/petfriendly/recon/importer"
)

// lockImports takes the import lock for the transaction tx. It waits a
// moment, not for a whole import: a session that is ending (a cancelled
// statement's) may still hold it. When an import or rollback holds it,
// busy is true and who names it, read on db (tx is aborted by then).
func lockImports(ctx context.Context, tx, db DB) (who string, busy bool, err error) {
	if _, err := tx.Exec(ctx, `SET LOCAL lock_timeout = '1s'`); err != nil {
		return "", false, fmt.Errorf("correct: take the import lock: %w", err)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, importer.LockKey); err != nil {
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "55P03" { // lock_not_available: lock_timeout ran out
			return "", false, fmt.Errorf("correct: take the import lock: %w", err)
		}
		_ = db.QueryRow(ctx, `SELECT concat_ws(' ', command, operator) FROM migration_lockholder ORDER BY 1 LIMIT 1`).Scan(&who)
		return who, true, nil
	}
	return "", false, nil
}

// readMapping reads where a source id is mapped; found is false when it
// is not.
func readMapping(ctx context.Context, db DB, sourceType, sourceID string) (target int64, merged, found bool, err error) {
	err = db.QueryRow(ctx, `SELECT target_id, is_merged FROM migration_externalidmapping
		WHERE source_system = 'okvet' AND source_type = $1 AND source_id = $2`, sourceType, sourceID).Scan(&target, &merged)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, false, nil
	}
	if err != nil {
		return 0, false, false, fmt.Errorf("find %s %s: %w", sourceType, sourceID, err)
	}
	return target, merged, true, nil
}

// lockRow locks row id of table for the transaction db; exists is false
// when there is no such row.
func lockRow(ctx context.Context, db DB, table string, id int64) (exists bool, err error) {
	tag, err := db.Exec(ctx, fmt.Sprintf("SELECT 1 FROM %s WHERE id = $1 FOR UPDATE", pgx.Identifier{table}.Sanitize()), id)
	if err != nil {
		return false, fmt.Errorf("lock %s #%d: %w", table, id, err)
	}
	return tag.RowsAffected() != 0, nil
}

// describeColumn reads the type of a column and whether it is not null
// and text.
func describeColumn(ctx context.Context, db DB, table, name string) (column, error) {
	col := column{name: name}
	err := db.QueryRow(ctx, `SELECT format_type(a.atttypid, a.atttypmod), a.attnotnull, a.atttypid IN ('text'::regtype, 'varchar'::regtype)
		FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attname = $2 AND NOT a.attisdropped`,
		table, name).Scan(&col.sqlType, &col.notNull, &col.text)
	if err != nil {
		return col, fmt.Errorf("describe %s.%s: %w", table, name, err)
	}
	return col, nil
}

// findEmailHolder finds an account other than owner row ownerID's that
// has the address, an owner or a staff user (who has no owner profile),
// owners first: the column is unique.
func findEmailHolder(ctx context.Context, db DB, email string, ownerID int64) (h emailHolder, found bool, err error) {
	err = db.QueryRow(ctx, `SELECT COALESCE(m.source_id, '#' || p.id, '#' || u.id), p.id IS NOT NULL, u.role FROM accounts_user u
		LEFT JOIN vet_clinic_ownerprofile p ON p.user_id = u.id
		LEFT JOIN migration_externalidmapping m ON m.source_type = 'client' AND m.target_id = p.id AND NOT m.is_merged
		WHERE lower(u.email) = lower($1) AND u.id IS DISTINCT FROM (SELECT user_id FROM vet_clinic_ownerprofile WHERE id = $2)
		ORDER BY p.id IS NULL LIMIT 1`, email, ownerID).Scan(&h.id, &h.owner, &h.role)
	if errors.Is(err, pgx.ErrNoRows) {
		return h, false, nil
	}
	if err != nil {
		return h, false, fmt.Errorf("check e-mail %s: %w", email, err)
	}
	return h, true, nil
}

// writeField carries out w on destination row id.
func writeField(ctx context.Context, db DB, id int64, w fieldWrite) error {
	exec := func(sql string, args ...any) error {
		_, err := db.Exec(ctx, sql, args...)
		return err
	}
	table := pgx.Identifier{w.table}.Sanitize()
	col := pgx.Identifier{w.column}.Sanitize()
	switch w.kind {
	case writeEmail:
		return exec(`UPDATE accounts_user SET email = $2 WHERE id = (SELECT user_id FROM vet_clinic_ownerprofile WHERE id = $1)`, id, w.value)
	case writeDate:
		return exec(`UPDATE `+table+` SET `+col+` =
				($2::text::date + (`+col+` AT TIME ZONE 'America/Bogota')::time) AT TIME ZONE 'America/Bogota' WHERE id = $1`, id, w.value)
	case writeTime:
		return exec(`UPDATE `+table+` SET `+col+` =
			((`+col+` AT TIME ZONE 'America/Bogota')::date + $2::text::time) AT TIME ZONE 'America/Bogota' WHERE id = $1`, id, w.value)
	}
	set := fmt.Sprintf("%s = $2::text::%s", col, w.sqlType)
	args := []any{id, w.value}
	if w.splitName {
		if err := exec(`UPDATE accounts_user SET first_name = $2, last_name = $3
			WHERE id = (SELECT user_id FROM vet_clinic_ownerprofile WHERE id = $1)`, id, w.first, w.last); err != nil {
			return err
		}
	}
	if w.consent {
		set += ", data_consent_at = CASE WHEN $2::text::boolean THEN COALESCE($3::timestamptz, data_consent_at) END"
		args = append(args, w.consentAt)
	}
	if w.touch {
		set += fmt.Sprintf(", updated_at = $%d", len(args)+1)
		args = append(args, w.at)
	}
	return exec(fmt.Sprintf("UPDATE %s SET %s WHERE id = $1", table, set), args...)
}

// correctionRow is one audit row of migration_correction.
type correctionRow struct {
	sourceType, sourceID, field string
	targetModel                 string // the type's table
	targetID                    int64
	column, old, new, input     string
	reason, by                  string
	at                          time.Time
	issueID                     int64 // 0: none
}

// insertCorrection writes the audit row and returns its id.
func insertCorrection(ctx context.Context, db DB, r correctionRow) (int64, error) {
	var issue any
	if r.issueID != 0 {
		issue = r.issueID
	}
	var id int64
	err := db.QueryRow(ctx, `INSERT INTO migration_correction (source_system, source_type, source_id, field_name, target_model, target_id,
			column_name, old_value, new_value, input_value, reason, corrected_by, corrected_at, issue_id)
		VALUES ('okvet', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		r.sourceType, r.sourceID, r.field, r.targetModel, r.targetID, r.column, r.old, r.new, r.input, r.reason,
		r.by, r.at, issue).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("audit correction of %s %s %s: %w", r.sourceType, r.sourceID, r.field, err)
	}
	return id, nil
}
