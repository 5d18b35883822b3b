package importer

import (
	"context"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
)

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
