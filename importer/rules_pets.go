package importer

import (
	"context"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
)

func (b *batchWriter) pet(ctx context.Context, rec source.Record, _ Checked) (outcome, error) {
	name := text(rec, "nombre")
	o := outcome{status: StatusImported, targetModel: b.t.Table}
	owner, ok, err := b.parent(ctx, rec, "id_cliente", "client", &o)
	if err != nil || !ok {
		return o, err
	}
	birth := date(rec, "fecha_nacimiento")
	if birth.Valid && birth.Time.After(b.im.opts.Now()) {
		birth = noDate() // a future birth date is a typo; the issue keeps the raw value
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
