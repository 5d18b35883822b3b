package importer

import (
	"context"
	"fmt"
	"time"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
	"github.com/petfriendly/recon/source/normalize"
)

func (b *batchWriter) appointment(ctx context.Context, rec source.Record, _ Checked) (outcome, error) {
	day := date(rec, "fecha") // Check rejected a row without a readable date or time
	h, m, sec := 0, 0, 0
	if valid(rec, "hora") {
		var err error
		if h, m, sec, err = normalize.Clock(text(rec, "hora")); err != nil {
			return outcome{}, fmt.Errorf("canonical time %q: %w", text(rec, "hora"), err)
		}
	}
	starts := time.Date(day.Time.Year(), day.Time.Month(), day.Time.Day(), h, m, sec, 0, normalize.Bogota())
	o := outcome{status: StatusImported, targetModel: b.t.Table}
	pet, ok, err := b.parent(ctx, rec, "id_paciente", "pet", &o)
	if err != nil || !ok {
		return o, err
	}
	owner := noID()
	if po, ok := b.refs.petOwner[pet]; ok {
		owner = someID(po)
	}
	if client := text(rec, "id_cliente"); client != "" {
		ct, known := b.refs.lookup("client", client)
		if owner.Valid && (!known || ct != owner.Int64) {
			o.add(Warning, "chain_mismatch", "id_cliente", client,
				i18n.T("el cliente %s de la cita no es el propietario de la mascota; se guarda con el propietario de la mascota",
					"appointment client %s is not the pet's owner; stored with the pet's owner", client))
		}
		if !owner.Valid && known {
			owner = someID(ct)
		}
	}
	// The normaliser applies the mapping file's vocabulary; an unknown
	// status is kept as written (it already carries an unknown_status issue).
	rawStatus := normalize.Clean(rec.Raw["estado"])
	status := text(rec, "estado")
	switch {
	case status != "":
	case rawStatus == "":
		status = fieldDefault(b.t, "estado")
	default:
		status = rawStatus
		if !hasIssue(rec, "unknown_status") {
			o.add(Warning, "unknown_status", "estado", rawStatus, i18n.T("estado de cita desconocido %q, se guarda tal cual", "unknown appointment status %q kept as is", rawStatus))
		}
	}
	id, err := b.newID(ctx, b.t.Table)
	if err != nil {
		return outcome{}, err
	}
	o.targetID = id
	duration := boundedInt4(rec, &o, "duracion")
	return o, b.put(ctx, b.t.Table, map[string]any{"id": id, "external_id": rec.SourceID, "pet_id": pet,
		"owner_id": owner, "starts_at": starts, "duration_minutes": duration, "reason": text(rec, "motivo"),
		"status": status, "vet_external_id": text(rec, "id_veterinario"), "notes": text(rec, "notas")})
}
