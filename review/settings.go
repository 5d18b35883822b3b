package review

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// SettingClinic is the clinic's name every report shows.
const SettingClinic = "clinic"

// SettingKeys lists the settings `recon db set` knows.
func SettingKeys() []string { return []string{SettingClinic} }

// ErrUnknownSetting is returned for a key recon does not know.
var ErrUnknownSetting = errors.New("unknown setting")

// Setting is one row of migration_setting.
type Setting struct {
	Key       string    `json:"key"`
	Value     string    `json:"value"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy string    `json:"updated_by"`
}

// SetSetting stores key = value once for the database; an empty value
// removes the setting.
func SetSetting(ctx context.Context, db DB, key, value, by string, at time.Time) error {
	if !knownSetting(key) {
		return fmt.Errorf("%w %q", ErrUnknownSetting, key)
	}
	value = strings.TrimSpace(value)
	if value == "" {
		if _, err := db.Exec(ctx, `DELETE FROM migration_setting WHERE key = $1`, key); err != nil {
			return fmt.Errorf("clear setting %s: %w", key, err)
		}
		return nil
	}
	_, err := db.Exec(ctx, `INSERT INTO migration_setting (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4)
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
		key, value, at, by)
	if err != nil {
		return fmt.Errorf("set setting %s: %w", key, err)
	}
	return nil
}

// SettingValue is a setting's value, "" when it was never set.
func SettingValue(ctx context.Context, db DB, key string) (string, error) {
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

// Settings lists the stored settings by key.
func Settings(ctx context.Context, db DB) ([]Setting, error) {
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

// ImportOperator is the operator of the latest completed real import
// batch, the person a verification reports by default; "" when none.
func ImportOperator(ctx context.Context, db DB) (string, error) {
	var op string
	err := db.QueryRow(ctx, `SELECT operator FROM migration_migrationbatch
		WHERE status = 'completed' AND NOT is_dry_run AND btrim(operator) <> ''
		ORDER BY completed_at DESC NULLS LAST, id DESC LIMIT 1`).Scan(&op)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the import's operator: %w", err)
	}
	return op, nil
}

func knownSetting(key string) bool {
	for _, k := range SettingKeys() {
		if k == key {
			return true
		}
	}
	return false
}
