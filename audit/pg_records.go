package audit

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/petfriendly/recon/source"
)

// readSourceRecord reads a migration record: recordID when given, else the
// latest of sourceType's id among completed, real batches; found is false
// when there is none.
func readSourceRecord(ctx context.Context, db DB, sourceType, id string, recordID int64) (s SourceRow, found bool, err error) {
	q := `SELECT r.id, r.batch_id, b.source_file, r.line_number, r.raw_line, r.source_data, r.status, r.reason
		FROM migration_migrationrecord r JOIN migration_migrationbatch b ON b.id = r.batch_id `
	args := []any{recordID}
	if recordID != 0 {
		q += `WHERE r.id = $1`
	} else {
		q += `WHERE r.source_type = $1 AND r.source_id = $2 AND ` + realBatch + ` ORDER BY r.id DESC LIMIT 1`
		args = []any{sourceType, id}
	}
	err = db.QueryRow(ctx, q, args...).Scan(&s.RecordID, &s.BatchID, &s.File, &s.Line, &s.RawLine, &s.Raw, &s.Status, &s.Reason)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, false, nil
	}
	if err != nil {
		return s, false, fmt.Errorf("read source row of %s %s: %w", sourceType, id, err)
	}
	return s, true, nil
}

// targetOf finds the destination row a source id is mapped to, 0 if none.
func targetOf(ctx context.Context, db DB, sourceType, id string) (int64, error) {
	if id == "" {
		return 0, nil
	}
	var target int64
	err := db.QueryRow(ctx, `SELECT target_id FROM migration_externalidmapping
		WHERE source_system = 'okvet' AND source_type = $1 AND source_id = $2`, sourceType, id).Scan(&target)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("find target of %s %s: %w", sourceType, id, err)
	}
	return target, nil
}

// mappedSourceID finds the source id mapped to a destination row, a
// surviving one before a merged duplicate; found is false when none is.
func mappedSourceID(ctx context.Context, db DB, sourceType string, target int64) (id string, found bool, err error) {
	err = db.QueryRow(ctx, `SELECT source_id FROM migration_externalidmapping
		WHERE source_system = 'okvet' AND source_type = $1 AND target_id = $2 ORDER BY is_merged, id LIMIT 1`,
		sourceType, target).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("find source id of %s #%d: %w", sourceType, target, err)
	}
	return id, true, nil
}

// childSourceIDs lists the source ids of the rows of type child whose
// reference ref names parent's row parentID in the source (in completed,
// real batches) or, mapped and not merged, hang from its destination row
// target.
func childSourceIDs(ctx context.Context, db DB, child source.Type, ref source.Field, parent source.Type, parentID string, target int64) ([]string, error) {
	rows, err := db.Query(ctx, fmt.Sprintf(`SELECT r.source_id FROM migration_migrationrecord r
			JOIN migration_migrationbatch b ON b.id = r.batch_id
			WHERE r.source_type = $1 AND btrim(r.source_data->>$2) = $3 AND r.source_id <> '' AND %s
		UNION
		SELECT m.source_id FROM %s d JOIN migration_externalidmapping m
			ON m.source_system = 'okvet' AND m.source_type = $1 AND m.target_id = d.id AND NOT m.is_merged
			WHERE d.%s = $4`, realBatch, pgx.Identifier{child.Table}.Sanitize(), pgx.Identifier{ref.Column}.Sanitize()),
		child.SourceType, ref.Name, parentID, target)
	if err != nil {
		return nil, fmt.Errorf("find %s of %s %s: %w", child.Name, parent.Name, parentID, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("find %s of %s %s: %w", child.Name, parent.Name, parentID, err)
	}
	return ids, nil
}

// searchOwnersAndPets finds owners and pets by name, document, e-mail,
// phone, microchip (digits: the query's digits) or source id, and rows of
// the other types by source id, at most limit of them.
func searchOwnersAndPets(ctx context.Context, db DB, q, digits string, limit int) ([]Match, error) {
	// A mapping's source type names its type as the type table says.
	var sourceTypes, names []string
	for _, t := range source.Types() {
		sourceTypes, names = append(sourceTypes, t.SourceType), append(names, t.Name)
	}
	rows, err := db.Query(ctx, `SELECT * FROM (
		SELECT 'clients' AS type, m.source_id, p.full_name, '' AS owner
		FROM vet_clinic_ownerprofile p JOIN accounts_user u ON u.id = p.user_id
		JOIN migration_externalidmapping m ON m.source_type = 'client' AND m.target_id = p.id AND NOT m.is_merged
		WHERE p.full_name ILIKE '%' || $1::text || '%' OR lower(u.email) = lower($1) OR m.source_id = $1
			OR ($2::text <> '' AND (p.document_number = $2 OR p.phone LIKE '%' || $2 OR p.mobile LIKE '%' || $2))
		UNION ALL
		SELECT 'pets', m.source_id, d.name, COALESCE(o.full_name, '')
		FROM pets_pet d JOIN migration_externalidmapping m ON m.source_type = 'pet' AND m.target_id = d.id AND NOT m.is_merged
		LEFT JOIN vet_clinic_ownerprofile o ON o.id = d.owner_id
		WHERE d.name ILIKE '%' || $1 || '%' OR m.source_id = $1 OR ($2 <> '' AND d.microchip_number = $2)
		UNION ALL
		SELECT t.name, m.source_id, '', ''
		FROM migration_externalidmapping m JOIN unnest($4::text[], $5::text[]) AS t(source_type, name) ON t.source_type = m.source_type
		WHERE m.source_id = $1 AND m.source_type NOT IN ('client', 'pet') AND NOT m.is_merged
	) x ORDER BY 1, 3, 2 LIMIT $3`, q, digits, limit, sourceTypes, names)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	out := []Match{}
	var m Match
	_, err = pgx.ForEachRow(rows, []any{&m.Type, &m.SourceID, &m.Label, &m.Owner}, func() error {
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	return out, nil
}
