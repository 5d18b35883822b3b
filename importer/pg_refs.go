package importer

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// load reads the mappings and the recorded failures of one source type.
func (r *refIndex) load(ctx context.Context, sourceType string) error {
	if r.loaded[sourceType] {
		return nil
	}
	r.loaded[sourceType] = true
	targets, merged := map[string]int64{}, map[string]bool{}
	rows, err := r.tx.Query(ctx, `SELECT source_id, target_id, is_merged FROM migration_externalidmapping
		WHERE source_system = 'okvet' AND source_type = $1`, sourceType)
	if err != nil {
		return fmt.Errorf("load %s mappings: %w", sourceType, err)
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
		return fmt.Errorf("load %s mappings: %w", sourceType, err)
	}
	missing := map[string]string{}
	rows, err = r.tx.Query(ctx, `SELECT DISTINCT ON (r.source_id) r.source_id, r.status, r.reason
		FROM migration_migrationrecord r JOIN migration_migrationbatch b ON b.id = r.batch_id
		WHERE r.source_type = $1 AND b.status = 'completed' AND NOT b.is_dry_run
		  AND r.status IN ('error', 'skipped')
		ORDER BY r.source_id, r.id DESC`, sourceType)
	if err != nil {
		return fmt.Errorf("load %s outcomes: %w", sourceType, err)
	}
	var status, reason string
	_, err = pgx.ForEachRow(rows, []any{&id, &status, &reason}, func() error {
		if status == StatusError {
			missing[id] = "rejected (" + reason + ")"
		} else {
			missing[id] = reason
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("load %s outcomes: %w", sourceType, err)
	}
	r.virtual.overlay(sourceType, targets, missing)
	r.targets[sourceType] = targets
	r.merged[sourceType] = merged
	r.missing[sourceType] = missing
	return nil
}

// loadPetOwners reads each pet's owner, to check appointment chains.
func (r *refIndex) loadPetOwners(ctx context.Context) error {
	r.petOwner = map[int64]int64{}
	rows, err := r.tx.Query(ctx, `SELECT id, owner_id FROM pets_pet`)
	if err != nil {
		return fmt.Errorf("load pet owners: %w", err)
	}
	var pet, owner int64
	_, err = pgx.ForEachRow(rows, []any{&pet, &owner}, func() error {
		r.petOwner[pet] = owner
		return nil
	})
	if err != nil {
		return fmt.Errorf("load pet owners: %w", err)
	}
	for pet, owner := range r.virtual.petOwner {
		r.petOwner[pet] = owner
	}
	return nil
}
