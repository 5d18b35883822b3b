package importer

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
	"github.com/petfriendly/recon/source/normalize"
)

// PlaceholderEmailDomain marks owners imported without an e-mail.
const PlaceholderEmailDomain = "placeholder.local"

// PlaceholderOwnerName is the owner that receives orphans in placeholder mode.
const PlaceholderOwnerName = "Propietario desconocido (OkVet)"

// ownerKey is one identity an owner can be recognised by.
type ownerKey struct {
	key    string // "email:..", "phone:+57..", "doc:cc:123"
	target int64
}

// ownerIndex finds earlier owners by normalised e-mail, phone or document.
type ownerIndex struct {
	byKey   map[string]int64
	sources map[int64]string // target -> first source id, for messages
	virtual *virtualState
}

func loadOwnerIndex(ctx context.Context, tx pgx.Tx, v *virtualState) (*ownerIndex, error) {
	idx := &ownerIndex{byKey: map[string]int64{}, sources: map[int64]string{}, virtual: v}
	rows, err := tx.Query(ctx, `SELECT p.id, u.email, p.phone, p.mobile, p.document_type, p.document_number,
			COALESCE((SELECT m.source_id FROM migration_externalidmapping m
			  WHERE m.target_model = 'vet_clinic_ownerprofile' AND m.target_id = p.id AND NOT m.is_merged
			  ORDER BY m.id LIMIT 1), '')
		FROM vet_clinic_ownerprofile p JOIN accounts_user u ON u.id = p.user_id
		WHERE NOT p.is_placeholder`)
	if err != nil {
		return nil, fmt.Errorf("load owners: %w", err)
	}
	var id int64
	var email, phone, mobile, docType, docNum, src string
	_, err = pgx.ForEachRow(rows, []any{&id, &email, &phone, &mobile, &docType, &docNum, &src}, func() error {
		for _, k := range OwnerKeys(email, []string{phone, mobile}, docType, docNum) {
			if _, seen := idx.byKey[k]; !seen {
				idx.byKey[k] = id
			}
		}
		idx.sources[id] = src
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load owners: %w", err)
	}
	for _, k := range v.owners {
		if _, seen := idx.byKey[k.key]; !seen {
			idx.byKey[k.key] = k.target
		}
	}
	return idx, nil
}

func (idx *ownerIndex) find(keys []string) (int64, string, bool) {
	for _, k := range keys {
		if t, ok := idx.byKey[k]; ok {
			return t, k, true
		}
	}
	return 0, "", false
}

func (idx *ownerIndex) add(keys []string, target int64, sourceID string) {
	for _, k := range keys {
		if _, seen := idx.byKey[k]; !seen {
			idx.byKey[k] = target
			idx.virtual.stagedOK = append(idx.virtual.stagedOK, ownerKey{k, target})
		}
	}
	idx.sources[target] = sourceID
}

func (b *batchWriter) client(ctx context.Context, rec source.Record, _ Checked) (outcome, error) {
	name, email := text(rec, "nombre"), text(rec, "email")
	keys := ClientKeys(rec)
	if b.cur != nil {
		// An owner imported earlier stays itself; only an e-mail now used by
		// another owner cannot be applied (accounts_user.email is unique).
		if other, ok := b.owners.byKey["email:"+strings.ToLower(email)]; ok && email != "" && other != b.cur.target {
			return reject("email_conflict", "email", email, i18n.T("el correo %s es del propietario %s; se conserva la versión anterior",
				"e-mail %s belongs to owner %s; the earlier version is kept", email, b.owners.sources[other])), nil
		}
	} else if target, key, ok := b.owners.find(keys); ok {
		survivor := b.owners.sources[target]
		o := outcome{status: StatusDuplicate, reason: "merged_into:" + survivor, targetModel: b.t.Table,
			targetID: target, merged: true}
		field, value, _ := strings.Cut(key, ":")
		o.add(Warning, "duplicate_merged", field, value,
			i18n.T("propietario %s fusionado con el propietario %s (mismo %s %s)",
				"owner %s merged into owner %s (same %s %s)", rec.SourceID, survivor, field, value))
		return o, nil
	}

	userID, err := b.newID(ctx, "accounts_user")
	if err != nil {
		return outcome{}, err
	}
	profileID, err := b.newID(ctx, b.t.Table)
	if err != nil {
		return outcome{}, err
	}
	o := outcome{status: StatusImported, targetModel: b.t.Table, targetID: profileID}
	userEmail := email
	if userEmail == "" {
		userEmail = fmt.Sprintf("imported_%s@%s", strings.ToLower(rec.SourceID), PlaceholderEmailDomain)
		o.add(Info, "placeholder_email", "email", "", i18n.T("el propietario no tiene correo; se guarda el marcador %s",
			"owner has no e-mail; placeholder %s stored", userEmail))
	}
	first, last := normalize.SplitName(name)
	registered := timestamp(rec, "fecha_registro")
	joined := registered
	if !joined.Valid && b.cur == nil { // a re-import keeps the first import's time
		joined = pgtype.Timestamptz{Time: b.im.opts.Now(), Valid: true}
	}
	consent := boolean(rec, "autorizacion_datos")
	consentAt := pgtype.Timestamptz{}
	if v, ok := rec.Values["autorizacion_datos"]; ok && consent && !v.Time.IsZero() {
		consentAt = pgtype.Timestamptz{Time: v.Time, Valid: true}
	}
	if err := b.put(ctx, "accounts_user", map[string]any{"id": userID, "email": userEmail, "first_name": first, "last_name": last,
		"date_joined": joined}); err != nil {
		return outcome{}, err
	}
	if err := b.put(ctx, b.t.Table, map[string]any{"id": profileID, "external_id": rec.SourceID, "user_id": userID,
		"full_name": name, "phone": textOrRaw(rec, "telefono"), "mobile": textOrRaw(rec, "celular"),
		"document_type": text(rec, "tipo_documento"), "document_number": text(rec, "documento"),
		"address": text(rec, "direccion"), "city": text(rec, "ciudad"), "notes": text(rec, "notas"),
		"created_at": registered, "data_consent": consent, "data_consent_at": consentAt}); err != nil {
		return outcome{}, err
	}
	b.owners.add(keys, profileID, rec.SourceID)
	return o, nil
}

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

func (b *batchWriter) pet(ctx context.Context, rec source.Record, _ Checked) (outcome, error) {
	name := text(rec, "nombre")
	o := outcome{status: StatusImported, targetModel: b.t.Table}
	owner, ok, err := b.parent(ctx, rec, "id_cliente", "client", &o)
	if err != nil || !ok {
		return o, err
	}
	birth := date(rec, "fecha_nacimiento")
	if birth.Valid && birth.Time.After(b.im.opts.Now()) {
		birth = pgtype.Date{} // a future birth date is a typo; the issue keeps the raw value
		if !hasIssue(rec, "future_date") {
			o.add(Warning, "future_date", "fecha_nacimiento", rec.Raw["fecha_nacimiento"], i18n.T("la fecha de nacimiento es futura; se guarda vacía", "birth date is in the future; stored empty"))
		}
	}
	species := text(rec, "especie")
	if species == "" {
		species = "other"
	}
	sex := text(rec, "sexo")
	if sex == "" {
		sex = "unknown"
	}
	id, err := b.newID(ctx, b.t.Table)
	if err != nil {
		return outcome{}, err
	}
	o.targetID = id
	err = b.put(ctx, b.t.Table, map[string]any{"id": id, "external_id": rec.SourceID, "owner_id": owner, "name": name,
		"species": species, "breed": text(rec, "raza"), "sex": sex, "birth_date": birth,
		"weight": boundedDecimal(rec, &o, "peso", source.KindWeight), "color": text(rec, "color"),
		"microchip_number": text(rec, "microchip"), "is_sterilized": boolean(rec, "esterilizado"),
		"is_deceased": boolean(rec, "fallecido"), "notes": text(rec, "notas")})
	b.virtual.stagedPO[id] = owner
	return o, err
}

func hasIssue(rec source.Record, typ string) bool {
	for _, is := range rec.Issues {
		if is.Type == typ {
			return true
		}
	}
	return false
}

func (b *batchWriter) medical(ctx context.Context, rec source.Record, _ Checked) (outcome, error) {
	when := timestamp(rec, "fecha") // Check rejected a row without one
	o := outcome{status: StatusImported, targetModel: b.t.Table}
	pet, ok, err := b.parent(ctx, rec, "id_paciente", "pet", &o)
	if err != nil || !ok {
		return o, err
	}
	id, err := b.newID(ctx, b.t.Table)
	if err != nil {
		return outcome{}, err
	}
	o.targetID = id
	return o, b.put(ctx, b.t.Table, map[string]any{"id": id, "external_id": rec.SourceID, "pet_id": pet,
		"date": when, "record_type": text(rec, "tipo"), "description": text(rec, "descripcion"),
		"diagnosis": text(rec, "diagnostico"), "treatment": text(rec, "tratamiento"), "notes": text(rec, "notas"),
		"vet_external_id": text(rec, "id_veterinario")})
}

func (b *batchWriter) vaccine(ctx context.Context, rec source.Record, _ Checked) (outcome, error) {
	name, applied := text(rec, "vacuna"), date(rec, "fecha_aplicacion") // Check rejected a row without them
	o := outcome{status: StatusImported, targetModel: b.t.Table}
	pet, ok, err := b.parent(ctx, rec, "id_paciente", "pet", &o)
	if err != nil || !ok {
		return o, err
	}
	next := date(rec, "fecha_proxima")
	if next.Valid && next.Time.Before(applied.Time) {
		o.add(Warning, "next_before_applied", "fecha_proxima", rec.Raw["fecha_proxima"],
			i18n.T("la próxima dosis es anterior a la fecha de aplicación", "next due date is before the application date"))
	}
	id, err := b.newID(ctx, b.t.Table)
	if err != nil {
		return outcome{}, err
	}
	o.targetID = id
	return o, b.put(ctx, b.t.Table, map[string]any{"id": id, "external_id": rec.SourceID, "pet_id": pet,
		"vaccine_name": name, "date_given": applied, "next_due_date": next, "lot_number": text(rec, "lote"),
		"manufacturer": text(rec, "laboratorio"), "administered_by": text(rec, "id_veterinario")})
}
