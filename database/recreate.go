package database

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// RecreateDatabase drops database db on the server url reaches (closing
// its connections), creates it empty and returns its URL. url must name
// another database of that server: one cannot drop the database one is
// connected to.
func RecreateDatabase(ctx context.Context, url, db string) (string, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return "", fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(ctx)
	id := pgx.Identifier{db}.Sanitize()
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+id+" WITH (FORCE)"); err != nil {
		return "", fmt.Errorf("drop database %s: %w", db, err)
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+id); err != nil {
		return "", fmt.Errorf("create database %s: %w", db, err)
	}
	return WithDatabase(url, db), nil
}
