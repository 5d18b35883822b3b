package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// deleteSetting removes a setting.
func deleteSetting(ctx context.Context, db DB, key string) error {
	if _, err := db.Exec(ctx, `DELETE FROM migration_setting WHERE key = $1`, key); err != nil {
		return fmt.Errorf("clear setting %s: %w", key, err)
	}
	return nil
}

// upsertSetting stores key = value, replacing any value it had.
func upsertSetting(ctx context.Context, db DB, key, value, by string, at time.Time) error {
	_, err := db.Exec(ctx, `INSERT INTO migration_setting (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4)
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
		key, value, at, by)
	if err != nil {
		return fmt.Errorf("set setting %s: %w", key, err)
	}
	return nil
}

// readSetting reads a setting's value, "" when it was never set.
func readSetting(ctx context.Context, db DB, key string) (string, error) {
	var v string
	err := db.QueryRow(ctx, `SELECT value FROM migration_setting WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}

// readSettings reads the stored settings by key.
func readSettings(ctx context.Context, db DB) ([]Setting, error) {
	rows, err := db.Query(ctx, `SELECT key, value, updated_at, updated_by FROM migration_setting ORDER BY key`)
	if err != nil {
		return nil, fmt.Errorf("read settings: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Setting])
	if err != nil {
		return nil, fmt.Errorf("read settings: %w", err)
	}
	return out, nil
}
