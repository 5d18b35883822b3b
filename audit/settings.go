package audit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
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
		return deleteSetting(ctx, db, key)
	}
	return upsertSetting(ctx, db, key, value, by, at)
}

// SettingValue is a setting's value, "" when it was never set.
func SettingValue(ctx context.Context, db DB, key string) (string, error) {
	return readSetting(ctx, db, key)
}

// Settings lists the stored settings by key.
func Settings(ctx context.Context, db DB) ([]Setting, error) {
	return readSettings(ctx, db)
}

// ImportOperator is the operator of the latest completed real import
// batch, the person a verification reports by default; "" when none.
func ImportOperator(ctx context.Context, db DB) (string, error) {
	return readImportOperator(ctx, db)
}

func knownSetting(key string) bool {
	for _, k := range SettingKeys() {
		if k == key {
			return true
		}
	}
	return false
}
