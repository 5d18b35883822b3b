package cli

import (
	"testing"

	"github.com/petfriendly/recon/source"
)

// The schema is Django's (database/migrations/0007): no column has a default
// and no foreign key cascades. Rows the tests add by hand write every NOT
// NULL column, as Pet-Friendly would, and deletes remove children first, as
// Django's on_delete does.

// batchColumns are migration_migrationbatch's columns the tests write.
const batchColumns = `batch_type, source_file, status, total_records, imported_count, skipped_count, error_count,
	duplicate_count, started_at, is_dry_run, notes, created_at, source_system, source_sha256, source_profile, operator, options,
	updated_count, unchanged_count, orphaned_count, blank_rows, continuation_lines, merged_lines`

// newBatchSQL inserts a batch that has just started: $1 batch_type, $2
// status, $3 operator; it returns ” and the new id (for sabEnv.pick).
const newBatchSQL = `INSERT INTO migration_migrationbatch (` + batchColumns + `)
	VALUES ($1, '', $2, 0, 0, 0, 0, 0, now(), false, '', now(), 'okvet', '', '', $3, '{}', 0, 0, 0, 0, 0, 0)
	RETURNING '', id`

// restartBatchSQL inserts a batch of the same file as batch $1 that has
// just started, with status $2; it returns ” and the new id.
const restartBatchSQL = `INSERT INTO migration_migrationbatch (` + batchColumns + `)
	SELECT batch_type, source_file, $2, 0, 0, 0, 0, 0, now(), false, '', now(), source_system, source_sha256, source_profile,
		operator, options, 0, 0, 0, 0, 0, 0
	FROM migration_migrationbatch WHERE id = $1
	RETURNING '', id`

// newUserSQL inserts an owner login: $1 id, $2 e-mail, $3 first name, $4
// last name, $5 date joined.
const newUserSQL = `INSERT INTO accounts_user (id, password, email, first_name, last_name, role, is_active, is_staff,
		is_superuser, date_joined)
	VALUES ($1, '!', $2, $3, $4, 'owner', true, false, false, $5)`

// batchType is the batch_type of a type name, from source.Types().
func batchType(t testing.TB, name string) string {
	t.Helper()
	typ, ok := source.TypeByName(name)
	if !ok {
		t.Fatalf("no type %q", name)
	}
	return typ.BatchType
}
