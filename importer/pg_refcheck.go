package importer

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// References checked in one pass (issue 30). The schema's foreign keys are
// DEFERRABLE INITIALLY DEFERRED: by default every row a batch writes queues
// one trigger event per reference, run one at a time at the batch's end.
// When this session may set session_replication_role (a superuser, as on
// recon's own cluster, or a role granted SET on it), and no trigger of the
// application's own would be silenced by it, a batch is written with the
// row-level triggers off and every foreign key of every table the batch
// wrote is checked with one anti-join before commit. Otherwise the triggers
// stay on, as before.

// bulkReferences says whether this transaction may write with the
// row-level foreign-key triggers off, and if so turns them off for the
// rest of the transaction. tables are every table a batch may write.
func bulkReferences(ctx context.Context, tx pgx.Tx, tables []string) (bool, error) {
	var may bool
	var version int
	err := tx.QueryRow(ctx, `SELECT current_setting('is_superuser') = 'on', current_setting('server_version_num')::int`).Scan(&may, &version)
	if err != nil {
		return false, fmt.Errorf("check references: %w", err)
	}
	// Before PostgreSQL 15 only a superuser may set the parameter.
	if !may && version >= 150000 {
		if err := tx.QueryRow(ctx, `SELECT has_parameter_privilege('session_replication_role', 'SET')`).Scan(&may); err != nil {
			return false, fmt.Errorf("check references: %w", err)
		}
	}
	if !may {
		return false, nil
	}
	// The check finds the batch's rows by the tables this transaction wrote
	// (pg_stat_xact_user_tables), which needs the statistics counters; and a
	// trigger that fires only in one replication role would fire differently.
	var ok bool
	err = tx.QueryRow(ctx, `SELECT current_setting('track_counts') = 'on' AND NOT EXISTS (
			SELECT 1 FROM pg_trigger t WHERE t.tgrelid::regclass::text = ANY($1) AND NOT t.tgisinternal AND t.tgenabled IN ('O', 'R'))`,
		tables).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("check references: %w", err)
	}
	if !ok {
		return false, nil
	}
	if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
		return false, fmt.Errorf("check references: %w", err)
	}
	return true, nil
}

// foreignKey is one foreign key of a table this transaction wrote.
type foreignKey struct {
	name, child, parent string
	cols, parentCols    []string
}

// checkReferencesInBulk checks every reference of the rows this transaction
// wrote, one foreign key at a time, then turns the triggers back on. A row
// whose parent is missing is written again with the triggers on, so the
// batch fails with the server's own foreign-key error, exactly as when the
// triggers checked every row.
func checkReferencesInBulk(ctx context.Context, tx pgx.Tx) error {
	var xid string
	if err := tx.QueryRow(ctx, `SELECT (txid_current() % 4294967296)::text`).Scan(&xid); err != nil {
		return fmt.Errorf("check references of the rows written: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text,
			ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
				JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i),
			ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
				JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i)
		FROM pg_constraint c JOIN pg_stat_xact_user_tables s ON s.relid = c.conrelid
		WHERE c.contype = 'f' AND s.n_tup_ins + s.n_tup_upd > 0
		ORDER BY 2, 1`)
	if err != nil {
		return fmt.Errorf("check references of the rows written: %w", err)
	}
	var fks []foreignKey
	var f foreignKey
	_, err = pgx.ForEachRow(rows, []any{&f.name, &f.child, &f.parent, &f.cols, &f.parentCols}, func() error {
		fks = append(fks, foreignKey{f.name, f.child, f.parent, append([]string(nil), f.cols...), append([]string(nil), f.parentCols...)})
		return nil
	})
	if err != nil {
		return fmt.Errorf("check references of the rows written: %w", err)
	}
	var broken []foreignKey
	for _, k := range fks {
		// One scan of the batch's rows per key: their distinct keys (k) and
		// the parents they name, locked as the triggers would lock them (l),
		// so none is deleted before the batch commits. A foreign key names a
		// unique key of its parent, so each key locks at most one parent:
		// fewer parents than keys means one is missing. (Counting, not an
		// anti-join of the two: planned without statistics on rows this
		// transaction wrote, the anti-join became a nested loop, minutes for
		// one workbook of 84,491 owners.) A parent deleted since the
		// statement began is not locked, so it counts as missing.
		mine, _ := k.sql()
		var keys, locked int64
		if err := tx.QueryRow(ctx, fmt.Sprintf(`WITH k AS MATERIALIZED (SELECT DISTINCT %s FROM %s c WHERE %s),
			l AS MATERIALIZED (SELECT %s FROM %s p WHERE (%s) IN (SELECT * FROM k) FOR KEY SHARE OF p)
			SELECT (SELECT count(*) FROM k), (SELECT count(*) FROM l)`,
			k.list("c.", k.cols), k.child, mine, k.list("p.", k.parentCols), k.parent, k.list("p.", k.parentCols)), xid).Scan(&keys, &locked); err != nil {
			return fmt.Errorf("check references of the rows written: %w", err)
		}
		if locked < keys {
			broken = append(broken, k)
		}
	}
	if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = origin`); err != nil {
		return fmt.Errorf("check references of the rows written: %w", err)
	}
	for _, k := range broken {
		// Rewriting a row this transaction inserted queues its reference
		// check even when the key is unchanged.
		mine, missing := k.sql()
		set := make([]string, len(k.cols))
		for i, c := range k.cols {
			set[i] = fmt.Sprintf("%s = c.%s", quoteIdent(c), quoteIdent(c))
		}
		if _, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE %s c SET %s WHERE %s AND %s`, k.child, strings.Join(set, ", "), mine, missing), xid); err != nil {
			return fmt.Errorf("check references of the rows written: %w", err)
		}
	}
	if _, err := tx.Exec(ctx, `SET CONSTRAINTS ALL IMMEDIATE`); err != nil {
		return fmt.Errorf("check references of the rows written: %w", err)
	}
	if len(broken) > 0 {
		k := broken[0]
		return fmt.Errorf("check references of the rows written: %s: a row of %s names a %s row that does not exist", k.name, k.child, k.parent)
	}
	return nil
}

// sql returns the condition selecting the rows of k's table this
// transaction wrote with a complete key (MATCH SIMPLE: a key with a null
// column is not checked), and the condition that their parent is missing.
func (k foreignKey) sql() (mine, missing string) {
	conds := []string{"c.xmin = $1::xid"}
	eq := make([]string, len(k.cols))
	for i, c := range k.cols {
		conds = append(conds, "c."+quoteIdent(c)+" IS NOT NULL")
		eq[i] = "p." + quoteIdent(k.parentCols[i]) + " = c." + quoteIdent(c)
	}
	return strings.Join(conds, " AND "), fmt.Sprintf("NOT EXISTS (SELECT 1 FROM %s p WHERE %s)", k.parent, strings.Join(eq, " AND "))
}

func (k foreignKey) list(prefix string, cols []string) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = prefix + quoteIdent(c)
	}
	return strings.Join(out, ", ")
}

func quoteIdent(s string) string { return pgx.Identifier{s}.Sanitize() }
