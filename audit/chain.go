package audit

import (
	"context"
	"sort"
	"strings"

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
	ids, err := childSourceIDs(ctx, s.db, ct, ref, pt, v.SourceID, target)
	if err != nil {
		return err
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
	return searchOwnersAndPets(ctx, db, q, digits, limit)
}
