package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// WriteMediaRefs rewrites the database's reference list from its documents.
func WriteMediaRefs(ctx context.Context, db queryer, mediaDir, key string) error {
	files, err := documentFiles(ctx, db)
	if err != nil {
		return err
	}
	return writeRefList(mediaDir, key, files)
}

// documentFiles lists the media files the database's documents name.
func documentFiles(ctx context.Context, db queryer) ([]string, error) {
	rows, err := db.Query(ctx, `SELECT DISTINCT file FROM documents_document WHERE file <> '' ORDER BY file`)
	if err != nil {
		return nil, fmt.Errorf("media references: %w", err)
	}
	files, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("media references: %w", err)
	}
	return files, nil
}

// DatabaseKey names a database in the media store's reference lists: a
// digest of its server and name, the same for every connection to it.
func DatabaseKey(pool *pgxpool.Pool) string {
	c := pool.Config().ConnConfig
	h := sha256.Sum256([]byte(fmt.Sprintf("%s:%d/%s", c.Host, c.Port, c.Database)))
	return hex.EncodeToString(h[:8])
}

// queryer is what reading a database's references needs (a pool or a tx).
type queryer interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}
