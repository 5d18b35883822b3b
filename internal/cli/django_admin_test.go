package cli

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/petfriendly/recon/internal/pgtest"
)

// Pet-Friendly's admin (issue 26 item 5, issue 27 items 5 and 6) through
// Django's own tests, contrib/django/migration/tests.py: in Spanish, every
// outcome column, the audit trail read-only, an issue resolved in the admin
// gets its resolver and time, a critical one needs a resolution, and the
// static files are served with DEBUG off.
func TestDjangoAdmin(t *testing.T) {
	pgtest.NeedDjango(t)
	db := pgtest.MustOpenEmptyDB(t) // Django's test runner creates and drops test_<name> itself
	cmd, err := pgtest.ManageCmd(context.Background(), db.URL, "test", "migration", "--no-input", "-v", "2")
	if err != nil {
		t.Fatal(err)
	}
	code, out := exitCode(t, cmd)
	if code != 0 || !strings.Contains(out, "\nOK") || !strings.Contains(out, "test_resolving_sets_resolver_and_time") {
		t.Fatalf("manage.py test migration: exit %d\n%s", code, out)
	}
}

// The README's first command, `manage.py runserver` with DEBUG off, serves
// a styled admin: its login page and the CSS and icons it links.
func TestDjangoRunserverServesAdminStatic(t *testing.T) {
	db := djangoDB(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd, err := pgtest.ManageCmd(ctx, db.URL, "runserver", "--noreload", addr)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.Env = append(cmd.Env, "PYTHONUNBUFFERED=1")
	var errs strings.Builder
	cmd.Stderr = &errs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); _ = cmd.Wait() }()
	// runserver prints this just before it listens; connections are retried
	// until then, bounded by the client's deadline.
	lines := bufio.NewScanner(stdout)
	var log strings.Builder
	started := false
	for !started && lines.Scan() {
		log.WriteString(lines.Text() + "\n")
		started = strings.Contains(lines.Text(), "Quit the server with")
	}
	if !started {
		_ = cmd.Wait()
		t.Fatalf("runserver did not start:\n%s%s", log.String(), errs.String())
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	client := &http.Client{Timeout: 10 * time.Second}
	get := func(path string) (*http.Response, string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			resp, err := client.Get("http://" + addr + path)
			if err == nil {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				return resp, string(b)
			}
			if !errors.Is(err, syscall.ECONNREFUSED) || time.Now().After(deadline) {
				t.Fatalf("GET %s: %v\n%s", path, err, log.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	resp, body := get("/admin/login/")
	if resp.StatusCode != 200 || !strings.Contains(body, "/static/admin/css/base.css") || !strings.Contains(body, "Iniciar sesión") {
		t.Fatalf("GET /admin/login/: %d\n%.2000s", resp.StatusCode, body)
	}
	for _, path := range []string{"/static/admin/css/base.css", "/static/admin/css/login.css", "/static/admin/img/icon-yes.svg"} {
		resp, body := get(path)
		if resp.StatusCode != 200 || len(body) == 0 {
			t.Errorf("GET %s with DEBUG off: %d, %d bytes", path, resp.StatusCode, len(body))
		}
	}
	if resp, _ := get("/static/admin/css/base.css"); !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
		t.Errorf("base.css served as %q", resp.Header.Get("Content-Type"))
	}
}
