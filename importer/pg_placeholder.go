package importer

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// placeholderLockKey is the transaction-level advisory lock around finding
// or creating the placeholder owner.
const placeholderLockKey int64 = 0x7265636f6e03

// placeholderOwnerID finds or creates the single owner that adopts orphans.
func placeholderOwnerID(ctx context.Context, tx dbTx, now time.Time) (int64, error) {
	// Pets, appointments, invoices and documents may load at once, each in
	// its own transaction, and each may need the owner: the first to come
	// holds this lock until it commits, and the others, waiting, then find
	// its owner instead of creating a second one.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, placeholderLockKey); err != nil {
		return 0, fmt.Errorf("find placeholder owner: %w", err)
	}
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM vet_clinic_ownerprofile WHERE is_placeholder ORDER BY id LIMIT 1`).Scan(&id)
	if err == nil {
		return id, nil
	}
	if err != pgx.ErrNoRows {
		return 0, fmt.Errorf("find placeholder owner: %w", err)
	}
	// Every NOT NULL column is written: the schema has no defaults.
	err = tx.QueryRow(ctx, `WITH u AS (
			INSERT INTO accounts_user (email, first_name, last_name, password, role, is_active, is_staff, is_superuser, date_joined)
			VALUES ('propietario.desconocido@`+PlaceholderEmailDomain+`', 'Propietario desconocido', '(OkVet)', '!', 'owner',
				false, false, false, $2)
			RETURNING id)
		INSERT INTO vet_clinic_ownerprofile (user_id, external_id, full_name, phone, mobile, document_type, document_number,
			address, city, notes, data_consent, is_placeholder, created_at, updated_at)
		SELECT id, '', $1, '', '', '', '', '', '', 'Creado por recon para mascotas cuyo propietario no se encontró en la exportación de OkVet.',
			false, true, $2, $2 FROM u
		RETURNING id`, PlaceholderOwnerName, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("create placeholder owner: %w", err)
	}
	return id, nil
}
