package importer

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
)

// PlaceholderEmailDomain marks owners imported without an e-mail.
const PlaceholderEmailDomain = "placeholder.local"

// PlaceholderOwnerName is the owner that receives orphans in placeholder mode.
const PlaceholderOwnerName = "Propietario desconocido (OkVet)"

// parent resolves a reference field; ok=false means the row is an orphan
// (the outcome is filled in) unless placeholder mode gives it a home.
func (b *batchWriter) parent(ctx context.Context, rec source.Record, field, refType string, o *outcome) (int64, bool, error) {
	id := ParentID(rec, field)
	if target, ok := b.refs.lookup(refType, id); ok {
		return target, true, nil
	}
	why := b.refs.why(refType, id)
	if id == "" {
		why = "empty"
	}
	refES := refType
	rt, known := source.TypeByName(refType)
	if known && rt.OneES != "" {
		refES = rt.OneES
	}
	// why is "empty", "unknown", "rejected (<issue type>)" or another
	// outcome's reason code; the Spanish says the words and keeps codes.
	whyES := why
	switch {
	case why == "empty":
		whyES = "vacío"
	case why == "unknown":
		whyES = "desconocido"
	case why == ReasonOrphaned:
		whyES = "huérfano"
	case strings.HasPrefix(why, "rejected ("):
		whyES = "rechazado (" + strings.TrimPrefix(why, "rejected (")
	}
	msg := i18n.Text{ES: fmt.Sprintf("%s %q no está en el destino (%s)", refES, id, whyES),
		EN: fmt.Sprintf("%s %q not in the destination (%s)", refType, id, why)}
	if b.im.opts.Orphans == OrphansPlaceholder && known && rt.Placeholder {
		target, err := b.placeholderOwner(ctx)
		if err != nil {
			return 0, false, err
		}
		o.add(Warning, "orphaned_record", field, id, i18n.Text{ES: msg.ES + "; asignado a «" + PlaceholderOwnerName + "»",
			EN: msg.EN + "; attached to \"" + PlaceholderOwnerName + "\""})
		return target, true, nil
	}
	*o = outcome{status: StatusSkipped, reason: ReasonOrphaned}
	o.add(Critical, "orphaned_record", field, id, msg)
	return 0, false, nil
}

// placeholderLockKey is the transaction-level advisory lock around finding
// or creating the placeholder owner.
const placeholderLockKey int64 = 0x7265636f6e03

// placeholderOwner finds or creates the single owner that adopts orphans.
func (b *batchWriter) placeholderOwner(ctx context.Context) (int64, error) {
	if b.dryRun {
		return -1, nil
	}
	if b.placeholder != 0 {
		return b.placeholder, nil
	}
	// Pets, appointments, invoices and documents may load at once, each in
	// its own transaction, and each may need the owner: the first to come
	// holds this lock until it commits, and the others, waiting, then find
	// its owner instead of creating a second one.
	if _, err := b.tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, placeholderLockKey); err != nil {
		return 0, fmt.Errorf("find placeholder owner: %w", err)
	}
	var id int64
	err := b.tx.QueryRow(ctx, `SELECT id FROM vet_clinic_ownerprofile WHERE is_placeholder ORDER BY id LIMIT 1`).Scan(&id)
	if err == nil {
		b.placeholder = id
		return id, nil
	}
	if err != pgx.ErrNoRows {
		return 0, fmt.Errorf("find placeholder owner: %w", err)
	}
	// Every NOT NULL column is written: the schema has no defaults.
	err = b.tx.QueryRow(ctx, `WITH u AS (
			INSERT INTO accounts_user (email, first_name, last_name, password, role, is_active, is_staff, is_superuser, date_joined)
			VALUES ('propietario.desconocido@`+PlaceholderEmailDomain+`', 'Propietario desconocido', '(OkVet)', '!', 'owner',
				false, false, false, $2)
			RETURNING id)
		INSERT INTO vet_clinic_ownerprofile (user_id, external_id, full_name, phone, mobile, document_type, document_number,
			address, city, notes, data_consent, is_placeholder, created_at, updated_at)
		SELECT id, '', $1, '', '', '', '', '', '', 'Creado por recon para mascotas cuyo propietario no se encontró en la exportación de OkVet.',
			false, true, $2, $2 FROM u
		RETURNING id`, PlaceholderOwnerName, b.now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("create placeholder owner: %w", err)
	}
	b.placeholder = id
	return id, nil
}
