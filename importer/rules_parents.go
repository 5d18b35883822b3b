package importer

import (
	"context"
	"fmt"
	"strings"

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

// placeholderOwner is the owner that adopts this batch's orphans, found or
// created once per batch (none in a dry run).
func (b *batchWriter) placeholderOwner(ctx context.Context) (int64, error) {
	if b.dryRun {
		return -1, nil
	}
	if b.placeholder != 0 {
		return b.placeholder, nil
	}
	id, err := placeholderOwnerID(ctx, b.tx, b.now)
	if err != nil {
		return 0, err
	}
	b.placeholder = id
	return id, nil
}
