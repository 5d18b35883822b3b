package importer

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// insertItemTotalIssues records an items_total_mismatch issue for each
// invoice whose items, written or updated by this batch, add up to neither
// its subtotal nor its total (one peso of tolerance per line).
func insertItemTotalIssues(ctx context.Context, tx pgx.Tx, batchID int64, now time.Time) error {
	_, err := tx.Exec(ctx, `WITH touched AS (
			SELECT DISTINCT it.invoice_id FROM migration_externalidmapping m
			JOIN billing_invoiceitem it ON it.id = m.target_id
			WHERE m.batch_id = $1 AND m.source_type = 'invoice_item'
			UNION
			SELECT it.invoice_id FROM migration_migrationrecord r
			JOIN billing_invoiceitem it ON it.id = r.target_id
			WHERE r.batch_id = $1 AND r.status = 'updated' AND r.target_model = 'billing_invoiceitem'),
		sums AS (
			SELECT it.invoice_id, count(*) AS lines, sum(it.total) AS items,
				sum(it.total - COALESCE(it.tax, 0)) AS before_tax
			FROM billing_invoiceitem it
			JOIN touched USING (invoice_id) GROUP BY it.invoice_id)
		INSERT INTO migration_dataqualityissue (batch_id, source_type, source_id, severity, issue_type, field_name, description, source_value,
			resolved, resolution, resolved_by_name, created_at)
		SELECT $1, 'invoice', mi.source_id, 'warning', 'items_total_mismatch', 'total',
			format('items add up to %s (%s before tax) but the invoice subtotal is %s and its total %s (%s lines, 1 peso each of tolerance)',
				sums.items, sums.before_tax, COALESCE(i.subtotal::text, '-'), COALESCE(i.total::text, '-'), sums.lines),
			format('items=%s before_tax=%s subtotal=%s total=%s', sums.items, sums.before_tax,
				COALESCE(i.subtotal::text, ''), COALESCE(i.total::text, '')),
			false, '', '', $2
		FROM sums JOIN billing_invoice i ON i.id = sums.invoice_id
		JOIN migration_externalidmapping mi ON mi.target_model = 'billing_invoice' AND mi.target_id = i.id AND NOT mi.is_merged
		WHERE sums.items IS NOT NULL
			AND NOT COALESCE(abs(sums.items - i.subtotal) <= sums.lines, false)
			AND NOT COALESCE(abs(sums.items - i.total) <= sums.lines, false)`, batchID, now)
	if err != nil {
		return fmt.Errorf("check item totals: %w", err)
	}
	return nil
}
