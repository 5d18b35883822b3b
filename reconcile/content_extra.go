package reconcile

import (
	"sort"
	"strconv"
)

// Besides the migrated rows of each type, the content fingerprint covers
// every other row verify accounts for, so an approval stays bound to them:
// the logins that are no owner's (staff and other roles), the rows no
// migration explains (stray rows), every document's pointer to its stored
// file, and the audit trail (quality issues of completed batches with
// their resolutions, corrections). None of them names a database id that
// another load of the same export would number differently.

// extraContent names, in fingerprint order, the extra content tables.
var extraContent = []struct{ name, table string }{
	{"logins", "accounts_user"},
	{"stray_rows", "(not_from_migration)"},
	{"attachments", "documents_document.file"},
	{"issues", "migration_dataqualityissue"},
	{"corrections", "migration_correction"},
}

// addExtraContent folds the rows outside the types' tables into v.content.
func (v *verifier) addExtraContent(docs []storedDoc, digests map[string]*contentSum) {
	logins := &contentSum{}
	for _, l := range v.res.Logins {
		logins.add(l.Email, []string{"role=" + l.Role, "is_active=" + strconv.FormatBool(l.IsActive),
			"is_staff=" + strconv.FormatBool(l.IsStaff), "is_superuser=" + strconv.FormatBool(l.IsSuperuser)})
	}
	v.content["logins"] = logins
	stray := &contentSum{}
	for _, f := range v.res.Findings {
		if f.Code == CodeNotFromMigration || f.Code == CodeCreatedAfterImport {
			stray.add(f.Table, []string{strconv.FormatInt(f.TargetID, 10)})
		}
	}
	v.content["stray_rows"] = stray
	att := &contentSum{}
	sorted := append([]storedDoc(nil), docs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].id < sorted[j].id })
	for _, d := range sorted {
		att.add(d.id, []string{"file=" + d.file, "sha256=" + d.sum})
	}
	v.content["attachments"] = att
	for name, c := range digests {
		v.content[name] = c
	}
}
