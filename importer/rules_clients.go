package importer

import (
	"context"
	"fmt"
	"strings"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/source"
	"github.com/petfriendly/recon/source/normalize"
)

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

// newOwnerIndex indexes the owners already in the database by each of
// their keys (the first owner keeps a key), then the owners staged by
// batches of this run.
func newOwnerIndex(owners []ownerRow, v *virtualState) *ownerIndex {
	idx := &ownerIndex{byKey: map[string]int64{}, sources: map[int64]string{}, virtual: v}
	for _, r := range owners {
		for _, k := range OwnerKeys(r.email, []string{r.phone, r.mobile}, r.docType, r.docNum) {
			if _, seen := idx.byKey[k]; !seen {
				idx.byKey[k] = r.id
			}
		}
		idx.sources[r.id] = r.source
	}
	for _, k := range v.owners {
		if _, seen := idx.byKey[k.key]; !seen {
			idx.byKey[k.key] = k.target
		}
	}
	return idx
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
		joined = timeOf(b.im.opts.Now())
	}
	consent := boolean(rec, "autorizacion_datos")
	consentAt := noTime()
	if v, ok := rec.Values["autorizacion_datos"]; ok && consent && !v.Time.IsZero() {
		consentAt = timeOf(v.Time)
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
