package reconcile

import (
	"fmt"

	"github.com/petfriendly/recon/source"
	"github.com/petfriendly/recon/source/normalize"
)

// An owner's login (accounts_user) is written by recon with its profile:
// the names split from the owner's name and the fixed columns of the type
// table (role, is_active, is_staff, is_superuser). Verify reads them back
// with the profile, compares them like any field and folds them into the
// content fingerprint, so a migrated owner turned into staff or superuser
// is seen. The password (the owner sets it) and date_joined (the import's
// time when the export has none) are not compared; last_login is never read.

// loginPrefix names a login column among a Dest's fields.
const loginPrefix = "accounts_user."

// loginColumns are the type's login columns verify compares, from the
// type table's Extra columns.
func loginColumns(t source.Type) []source.DestColumn {
	var out []source.DestColumn
	for _, c := range t.Extra {
		if c.Table == "accounts_user" && c.Name != "password" && c.Name != "date_joined" {
			out = append(out, c)
		}
	}
	return out
}

// destFields are the compared fields, then the login columns as fields
// read from the owner's user (Dest.Fields["accounts_user.<column>"]).
func destFields(t source.Type) []source.Field {
	out := ComparedFields(t)
	for _, c := range loginColumns(t) {
		kind := source.KindText
		if _, ok := c.Const.(bool); ok {
			kind = source.KindBool
		}
		out = append(out, source.Field{Name: loginPrefix + c.Name, Column: c.Name, Table: "accounts_user", Kind: kind})
	}
	return out
}

// loginCheck is one login column: what recon wrote and what is there now.
type loginCheck struct {
	column, want, got string
}

// compareLogin lists the login columns of a migrated owner that differ
// from what the importer writes for the owner's name (the export's, or the
// audited correction's that the destination holds).
func compareLogin(t source.Type, name string, d Dest) []loginCheck {
	var out []loginCheck
	first, last := normalize.SplitName(name)
	for _, c := range loginColumns(t) {
		var want string
		switch {
		case c.Name == "first_name":
			want = first
		case c.Name == "last_name":
			want = last
		case c.Const != nil:
			want = fmt.Sprint(c.Const)
		default:
			continue
		}
		if got := d.Fields[loginPrefix+c.Name]; got != want {
			out = append(out, loginCheck{c.Name, want, got})
		}
	}
	return out
}

// escalated reports a login difference that gives an owner staff or
// superuser rights.
func escalated(c loginCheck) bool {
	return (c.column == "is_staff" || c.column == "is_superuser") && c.got == "true"
}
