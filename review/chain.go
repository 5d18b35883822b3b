package review

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/petfriendly/recon/source"
)

// IssueDetail is an issue with its row: as read and as migrated.
type IssueDetail struct {
	Issue  Issue       `json:"issue"`
	Record *RecordView `json:"record"` // nil when the issue names no row (a file-level note)
}

// ShowIssue reads an issue with its source and destination rows.
func ShowIssue(ctx context.Context, db DB, id int64, opts ViewOptions) (IssueDetail, error) {
	is, err := GetIssue(ctx, db, id)
	if err != nil {
		return IssueDetail{}, err
	}
	out := IssueDetail{Issue: is}
	t, ok := source.TypeByName(is.SourceType)
	if !ok || is.SourceID == "" && is.RecordID == 0 {
		return out, nil
	}
	v, err := view(ctx, db, t, is.SourceID, is.RecordID, opts)
	if err != nil {
		return out, err
	}
	out.Record = &v
	return out, nil
}

// Show builds the chain a record belongs to, owner first: the owner, then
// the pet (every pet when the record is the owner) with its medical
// records, vaccinations, appointments and documents, then the owner's
// invoices with their items. The record asked for has Focus set.
func Show(ctx context.Context, db DB, typ, id string, opts ViewOptions) (RecordView, error) {
	t, err := lookupType(typ)
	if err != nil {
		return RecordView{}, err
	}
	id = strings.TrimSpace(id)
	s := &shower{db: db, opts: opts}
	focus, err := view(ctx, db, t, id, 0, opts)
	if err != nil {
		return focus, err
	}
	if focus.Source == nil && focus.Destination == nil {
		return focus, &Error{Code: CodeUnknownID, Type: t.SourceType, SourceID: id}
	}
	focus.Focus = true
	if err := s.descend(ctx, &focus); err != nil {
		return focus, err
	}
	// Climb to the owner, keeping only the branch that leads here.
	node := focus
	for depth := 0; depth < 4; depth++ { // item → invoice → owner is the longest way up
		parentType, parentID := s.parentOf(node)
		if parentType == "" {
			break
		}
		pt, _ := source.TypeByName(parentType)
		parent, err := view(ctx, db, pt, parentID, 0, opts)
		if err != nil {
			return focus, err
		}
		parent.Children = []RecordView{node}
		for _, ct := range pt.Children(source.Types()) {
			if !ct.ChainAll {
				continue
			}
			// The owner's invoices belong to the chain whatever pet led here.
			if err := s.addChildren(ctx, &parent, ct.Name); err != nil {
				return focus, err
			}
		}
		node = parent
	}
	return node, nil
}

type shower struct {
	db   DB
	opts ViewOptions
}

// parentOf names the row a record hangs from: the pet of a clinical row,
// the owner of a pet or invoice, the invoice of an item. It prefers what the
// source says and falls back to the destination's parent.
func (s *shower) parentOf(v RecordView) (string, string) {
	t, _ := source.TypeByName(v.Type)
	f, ok := t.Parent()
	if !ok {
		return "", ""
	}
	field := f.Name
	for _, fv := range v.Fields {
		if fv.Field != field {
			continue
		}
		if fv.Normalised != "" {
			return f.Ref, fv.Normalised
		}
		if fv.Destination != "" && !strings.HasPrefix(fv.Destination, "#") {
			return f.Ref, fv.Destination
		}
	}
	return "", ""
}

// descend adds the children of a row and theirs: for an owner its pets
// and invoices, for a pet its clinical rows, for an invoice its items.
func (s *shower) descend(ctx context.Context, v *RecordView) error {
	t, _ := source.TypeByName(v.Type)
	for _, ct := range t.Children(source.Types()) {
		if err := s.addChildren(ctx, v, ct.Name); err != nil {
			return err
		}
	}
	return nil
}

// addChildren adds, with their own children, the rows of type child that
// name v as their parent in the source or hang from v's row in the
// destination, skipping those already there.
func (s *shower) addChildren(ctx context.Context, v *RecordView, child string) error {
	ct, _ := source.TypeByName(child)
	var ref source.Field
	pt, _ := source.TypeByName(v.Type)
	for _, f := range ct.Fields {
		if f.Kind == source.KindRef && f.Ref == pt.SourceType && f.Column != "" {
			ref = f
			break
		}
	}
	if ref.Name == "" {
		return nil
	}
	target := int64(0)
	if v.Destination != nil && v.Destination.Exists && !v.Destination.Merged {
		target = v.Destination.ID
	}
	rows, err := s.db.Query(ctx, fmt.Sprintf(`SELECT r.source_id FROM migration_migrationrecord r
			JOIN migration_migrationbatch b ON b.id = r.batch_id
			WHERE r.source_type = $1 AND btrim(r.source_data->>$2) = $3 AND r.source_id <> '' AND %s
		UNION
		SELECT m.source_id FROM %s d JOIN migration_externalidmapping m
			ON m.source_system = 'okvet' AND m.source_type = $1 AND m.target_id = d.id AND NOT m.is_merged
			WHERE d.%s = $4`, realBatch, pgx.Identifier{ct.Table}.Sanitize(), pgx.Identifier{ref.Column}.Sanitize()),
		ct.SourceType, ref.Name, v.SourceID, target)
	if err != nil {
		return fmt.Errorf("find %s of %s %s: %w", child, v.Type, v.SourceID, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("find %s of %s %s: %w", child, v.Type, v.SourceID, err)
	}
	sort.Slice(ids, func(i, j int) bool { return naturalLess(ids[i], ids[j]) })
	have := map[string]bool{}
	for _, c := range v.Children {
		if c.Type == ct.Name {
			have[c.SourceID] = true
		}
	}
	for _, id := range ids {
		if have[id] {
			continue
		}
		cv, err := view(ctx, s.db, ct, id, 0, s.opts)
		if err != nil {
			return err
		}
		if err := s.descend(ctx, &cv); err != nil {
			return err
		}
		v.Children = append(v.Children, cv)
	}
	return nil
}

// naturalLess orders "P2" before "P10".
func naturalLess(a, b string) bool {
	pa, na := splitNum(a)
	pb, nb := splitNum(b)
	if pa != pb || na == "" || nb == "" {
		return a < b
	}
	if len(na) != len(nb) {
		return len(na) < len(nb)
	}
	return na < nb
}

func splitNum(s string) (string, string) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	return s[:i], s[i:]
}

// Match is a row a search found.
type Match struct {
	Type     string `json:"type"`
	SourceID string `json:"source_id"`
	Label    string `json:"label"`
	Owner    string `json:"owner"` // the owner's name, for pets
}

// Find looks for owners and pets by name, document, e-mail, phone,
// microchip or source id, for `recon show --find`.
func Find(ctx context.Context, db DB, query string, limit int) ([]Match, error) {
	q := strings.TrimSpace(query)
	if q == "" {
		return nil, &Error{Code: CodeBadFilter, Detail: "empty search"}
	}
	if limit <= 0 {
		limit = 50
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, q)
	rows, err := db.Query(ctx, `SELECT * FROM (
		SELECT 'clients' AS type, m.source_id, p.full_name, '' AS owner
		FROM vet_clinic_ownerprofile p JOIN accounts_user u ON u.id = p.user_id
		JOIN migration_externalidmapping m ON m.source_type = 'client' AND m.target_id = p.id AND NOT m.is_merged
		WHERE p.full_name ILIKE '%' || $1::text || '%' OR lower(u.email) = lower($1) OR m.source_id = $1
			OR ($2::text <> '' AND (p.document_number = $2 OR p.phone LIKE '%' || $2 OR p.mobile LIKE '%' || $2))
		UNION ALL
		SELECT 'pets', m.source_id, d.name, COALESCE(o.full_name, '')
		FROM pets_pet d JOIN migration_externalidmapping m ON m.source_type = 'pet' AND m.target_id = d.id AND NOT m.is_merged
		LEFT JOIN vet_clinic_ownerprofile o ON o.id = d.owner_id
		WHERE d.name ILIKE '%' || $1 || '%' OR m.source_id = $1 OR ($2 <> '' AND d.microchip_number = $2)
		UNION ALL
		SELECT CASE m.source_type WHEN 'record' THEN 'medical' WHEN 'vaccine' THEN 'vaccines' WHEN 'appointment' THEN 'appointments'
			WHEN 'invoice' THEN 'invoices' WHEN 'invoice_item' THEN 'invoice_items' WHEN 'product' THEN 'products'
			ELSE 'documents' END, m.source_id, '', ''
		FROM migration_externalidmapping m
		WHERE m.source_id = $1 AND m.source_type NOT IN ('client', 'pet') AND NOT m.is_merged
	) x ORDER BY 1, 3, 2 LIMIT $3`, q, digits, limit)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	out := []Match{}
	var m Match
	_, err = pgx.ForEachRow(rows, []any{&m.Type, &m.SourceID, &m.Label, &m.Owner}, func() error {
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	return out, nil
}
