package importer

import "github.com/petfriendly/recon/source"

// rawLine is what the migration record keeps as raw_line: the row's text
// for rejected and orphaned rows (their reject files) and for rows whose
// text source_data does not rebuild (source.RebuildLine); blank otherwise,
// since source_data and the file's SHA-256 already prove it.
func rawLine(t source.Type, rec source.Record, o outcome) string {
	if o.status == StatusError || o.reason == ReasonOrphaned || !source.Rebuilds(t, rec.Raw, rec.RawText) {
		return rec.RawText
	}
	return ""
}
