package importer

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// queryMappings reads the mappings of one source type: each source id's
// target and whether it was merged into another row.
func queryMappings(ctx context.Context, tx dbTx, sourceType string) (map[string]int64, map[string]bool, error) {
	targets, merged := map[string]int64{}, map[string]bool{}
	rows, err := tx.Query(ctx, `SELECT source_id, target_id, is_merged FROM migration_externalidmapping
		WHERE source_system = 'okvet' AND source_type = $1`, sourceType)
	if err != nil {
		return nil, nil, fmt.Errorf("load %s mappings: %w", sourceType, err)
	}
	var id string
	var target int64
	var isMerged bool
	_, err = pgx.ForEachRow(rows, []any{&id, &target, &isMerged}, func() error {
		targets[id] = target
		if isMerged {
			merged[id] = true
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("load %s mappings: %w", sourceType, err)
	}
	return targets, merged, nil
}

// recordedFailure is the latest outcome of a source row that completed,
// real batches rejected or skipped.
type recordedFailure struct {
	sourceID, status, reason string
}

// queryFailures reads the source rows of one type whose latest recorded
// outcome in a completed, real batch was an error or a skip.
func queryFailures(ctx context.Context, tx dbTx, sourceType string) ([]recordedFailure, error) {
	rows, err := tx.Query(ctx, `SELECT DISTINCT ON (r.source_id) r.source_id, r.status, r.reason
		FROM migration_migrationrecord r JOIN migration_migrationbatch b ON b.id = r.batch_id
		WHERE r.source_type = $1 AND b.status = 'completed' AND NOT b.is_dry_run
		  AND r.status IN ('error', 'skipped')
		ORDER BY r.source_id, r.id DESC`, sourceType)
	if err != nil {
		return nil, fmt.Errorf("load %s outcomes: %w", sourceType, err)
	}
	var out []recordedFailure
	var f recordedFailure
	_, err = pgx.ForEachRow(rows, []any{&f.sourceID, &f.status, &f.reason}, func() error {
		out = append(out, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load %s outcomes: %w", sourceType, err)
	}
	return out, nil
}

// queryPetOwners reads each pet's owner.
func queryPetOwners(ctx context.Context, tx dbTx) (map[int64]int64, error) {
	owners := map[int64]int64{}
	rows, err := tx.Query(ctx, `SELECT id, owner_id FROM pets_pet`)
	if err != nil {
		return nil, fmt.Errorf("load pet owners: %w", err)
	}
	var pet, owner int64
	_, err = pgx.ForEachRow(rows, []any{&pet, &owner}, func() error {
		owners[pet] = owner
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load pet owners: %w", err)
	}
	return owners, nil
}
