package pgtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// SchemaCreator names who creates the test databases' schema: "recon" (the
// embedded migrations, the default) or "django" (Pet-Friendly's
// `manage.py migrate`, contrib/django), chosen with RECON_TEST_SCHEMA so the
// same tests run against both creators.
func SchemaCreator() string {
	if os.Getenv("RECON_TEST_SCHEMA") == "django" {
		return "django"
	}
	return "recon"
}

// DjangoDir is contrib/django in this source tree.
func DjangoDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "contrib", "django")
}

// DjangoPython finds a Python that has Django and psycopg2: $RECON_PYTHON,
// then Debian's /usr/bin/python3 (python3-django, python3-psycopg2), then
// python3 on the PATH.
func DjangoPython() (string, error) {
	var tried []string
	for _, p := range []string{os.Getenv("RECON_PYTHON"), "/usr/bin/python3", "python3"} {
		if p == "" {
			continue
		}
		tried = append(tried, p)
		if exec.Command(p, "-c", "import django, psycopg2").Run() == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no Python with Django and psycopg2 among %s: apt-get install python3-django python3-psycopg2, or set RECON_PYTHON",
		strings.Join(tried, ", "))
}

// Manage runs contrib/django's manage.py with args against the database at
// url and returns its standard output.
func Manage(ctx context.Context, url string, args ...string) ([]byte, error) {
	cmd, err := ManageCmd(ctx, url, args...)
	if err != nil {
		return nil, err
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), fmt.Errorf("manage.py %s: %w\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.Bytes(), nil
}

// ManageCmd is contrib/django's manage.py with args against the database at
// url, not yet started, for callers that need its exit code, its output as
// it comes or more environment (appended to Env).
func ManageCmd(ctx context.Context, url string, args ...string) (*exec.Cmd, error) {
	py, err := DjangoPython()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, py, append([]string{"manage.py"}, args...)...)
	cmd.Dir = DjangoDir()
	cmd.Env = append(os.Environ(), "DATABASE_URL="+url, "PYTHONDONTWRITEBYTECODE=1", "DJANGO_DEBUG=")
	return cmd, nil
}

// djangoHash identifies the Django project's models and migrations, so a
// change to them builds a new template.
func djangoHash() (string, error) {
	h := sha256.New()
	root := DjangoDir()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".py") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		fmt.Fprintf(h, "%s\x00%d\x00", rel, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("read %s: %w", root, err)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

// NeedDjango returns Django's Python, skipping tb when Django is not
// installed, except in CI, where nothing skips.
func NeedDjango(tb interface {
	Helper()
	Fatal(...any)
	Skip(...any)
}) string {
	tb.Helper()
	py, err := DjangoPython()
	if err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatal(err)
		}
		tb.Skip(err)
	}
	return py
}
