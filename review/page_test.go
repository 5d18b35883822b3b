package review_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/audit"
	"github.com/petfriendly/recon/importer"
	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/internal/pgtest"
	"github.com/petfriendly/recon/review"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var testNow = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// importTiny loads the hand-written export of the verify goldens.
func importTiny(t *testing.T) *pgxpool.Pool {
	t.Helper()
	db := pgtest.MustOpenDB(t)
	from := filepath.Join("..", "testdata", "reconcile", "export")
	dir := filepath.Join(t.TempDir(), "export")
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	im, err := importer.New(db.Pool, importer.Options{MediaDir: t.TempDir(), Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := im.ImportDir(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	return db.Pool
}

type client struct {
	t      *testing.T
	srv    *httptest.Server
	h      *review.Handler
	cookie *http.Cookie
}

func newClient(t *testing.T, pool *pgxpool.Pool, lang i18n.Lang) *client {
	h, err := review.New(review.Options{DB: pool, Lang: lang, Operator: "ana", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &client{t: t, srv: srv, h: h}
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func (c *client) get(path string) (int, string) {
	c.t.Helper()
	resp, err := c.srv.Client().Get(c.srv.URL + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, ck := range resp.Cookies() {
		c.cookie = ck
	}
	return resp.StatusCode, string(b)
}

// post submits a form as the browser would, with edits to the request.
func (c *client) post(path string, form url.Values, edit func(*http.Request)) (int, string, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if c.cookie != nil {
		req.AddCookie(c.cookie)
	}
	if edit != nil {
		edit(req)
	}
	cl := *c.srv.Client()
	cl.CheckRedirect = noRedirect
	resp, err := cl.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

var tokenRE = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

func openIssue(t *testing.T, pool *pgxpool.Pool, issueType string) audit.Issue {
	t.Helper()
	list, _, err := audit.ListIssues(context.Background(), pool, audit.IssueFilter{IssueType: issueType, Unresolved: true})
	if err != nil || len(list) == 0 {
		t.Fatalf("no open %s issue: %v", issueType, err)
	}
	return list[0]
}

func TestListAndPages(t *testing.T) {
	pool := importTiny(t)
	c := newClient(t, pool, i18n.ES)
	code, body := c.get("/")
	if code != 200 || !strings.Contains(body, "Problemas de calidad sin resolver") || !strings.Contains(body, "orphaned_record") {
		t.Fatalf("list: %d\n%s", code, body)
	}
	if c.cookie == nil || c.cookie.Value != c.h.Token() || c.cookie.SameSite != http.SameSiteStrictMode || !c.cookie.HttpOnly {
		t.Errorf("cookie = %+v", c.cookie)
	}
	code, body = c.get("/?severity=critical&type=record")
	if code != 200 || !strings.Contains(body, "H4") || strings.Contains(body, "invalid_document</td>") {
		t.Errorf("filtered list: %d\n%s", code, body)
	}
	if code, body = c.get("/?severity=grave"); code != 400 || !strings.Contains(body, "filtro inválido") {
		t.Errorf("bad filter: %d", code)
	}
	// P2's notes hold markup: shown as text, never as markup.
	code, body = c.get("/record?type=pet&id=P2")
	if code != 200 || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") || strings.Contains(body, "<script>") {
		t.Errorf("record page does not escape: %d\n%s", code, body)
	}
	if !strings.Contains(body, `id="correct-form"`) || !strings.Contains(body, "Propietario") {
		t.Errorf("record page lacks the chain or the correction form")
	}
	if code, _ = c.get("/record?type=pet&id=P404"); code != 404 {
		t.Errorf("unknown pet: %d", code)
	}
	if code, _ = c.get("/issues/999999"); code != 404 {
		t.Errorf("unknown issue: %d", code)
	}
	if code, body = c.get("/find?q=luna"); code != 200 || !strings.Contains(body, `href="/record?type=pets&amp;id=P1"`) {
		t.Errorf("find: %d\n%s", code, body)
	}
	en := newClient(t, pool, i18n.EN)
	if _, body := en.get("/"); !strings.Contains(body, "Unresolved quality issues") {
		t.Error("English page is not in English")
	}
}

func TestHostAndCSRF(t *testing.T) {
	pool := importTiny(t)
	c := newClient(t, pool, i18n.ES)
	is := openIssue(t, pool, "invalid_document")
	path := "/issues/" + itoa(is.ID)
	code, body := c.get(path)
	m := tokenRE.FindStringSubmatch(body)
	if code != 200 || m == nil || m[1] != c.h.Token() {
		t.Fatalf("issue page: %d, token %v\n%s", code, m, body)
	}
	good := url.Values{"csrf": {m[1]}, "resolution": {"documento revisado"}, "by": {"ana"}}
	bad := []struct {
		name string
		form url.Values
		edit func(*http.Request)
	}{
		{"no token", url.Values{"resolution": {"x"}, "by": {"ana"}}, nil},
		{"wrong token", url.Values{"csrf": {strings.Repeat("0", 64)}, "resolution": {"x"}, "by": {"ana"}}, nil},
		{"foreign origin", good, func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") }},
		{"null origin", good, func(r *http.Request) { r.Header.Set("Origin", "null") }},
		{"foreign referer", good, func(r *http.Request) {
			r.Header.Del("Origin")
			r.Header.Set("Referer", "http://evil.example/x")
		}},
		{"cross-site fetch", good, func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") }},
		{"no cookie", good, func(r *http.Request) { r.Header.Del("Cookie") }},
		{"foreign host", good, func(r *http.Request) {
			r.Host = "rebind.example:80"
			r.Header.Set("Origin", "http://rebind.example:80")
		}},
	}
	for _, b := range bad {
		if code, body, _ := c.post(path+"/resolve", b.form, b.edit); code != http.StatusForbidden {
			t.Errorf("%s: %d %s", b.name, code, body)
		}
	}
	if again, _ := audit.GetIssue(context.Background(), pool, is.ID); again.Resolved {
		t.Fatal("a refused post resolved the issue")
	}
	req, _ := http.NewRequest(http.MethodGet, c.srv.URL+"/", nil)
	req.Host = "rebind.example"
	if resp, err := c.srv.Client().Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("GET with a foreign Host: %v %v", resp.StatusCode, err)
	}

	code, body, loc := c.post(path+"/resolve", url.Values{"csrf": {m[1]}, "resolution": {" "}, "by": {"ana"}}, nil)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "indique la resolución") {
		t.Errorf("empty resolution: %d %s", code, body)
	}
	code, _, loc = c.post(path+"/resolve", good, nil)
	if code != http.StatusSeeOther || loc != path+"?done=resolved" {
		t.Fatalf("resolve: %d → %q", code, loc)
	}
	got, _ := audit.GetIssue(context.Background(), pool, is.ID)
	if !got.Resolved || got.Resolution != "documento revisado" || got.ResolvedBy != "ana" || !got.ResolvedAt.Equal(testNow) {
		t.Errorf("issue after resolve = %+v", got)
	}
	if _, body = c.get(loc); !strings.Contains(body, "Problema marcado como resuelto") || strings.Contains(body, `id="resolve-form"`) {
		t.Errorf("page after resolving:\n%s", body)
	}
}

func TestCorrectForm(t *testing.T) {
	pool := importTiny(t)
	c := newClient(t, pool, i18n.ES)
	is := openIssue(t, pool, "unknown_weight") // P3, weight 0
	path := "/issues/" + itoa(is.ID)
	_, body := c.get(path)
	token := tokenRE.FindStringSubmatch(body)[1]
	if !strings.Contains(body, `<option value="peso" selected>`) {
		t.Errorf("the issue's field is not preselected:\n%s", body)
	}
	form := url.Values{"csrf": {token}, "type": {"pets"}, "source_id": {"P3"}, "issue": {itoa(is.ID)},
		"field": {"peso"}, "value": {"<b>pesado</b>"}, "reason": {"pesada en consulta"}, "by": {"ana"}}
	code, body, _ := c.post("/correct", form, nil)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "valor inválido para peso") ||
		!strings.Contains(body, "&lt;b&gt;pesado&lt;/b&gt;") || strings.Contains(body, "<b>pesado") {
		t.Fatalf("invalid value: %d\n%s", code, body)
	}
	form.Set("value", "350 g")
	code, _, loc := c.post("/correct", form, nil)
	if code != http.StatusSeeOther || loc != path+"?done=corrected" {
		t.Fatalf("correct: %d → %q", code, loc)
	}
	_, body = c.get(loc)
	if !strings.Contains(body, "Corrección guardada") || !strings.Contains(body, "✎ corregido") || !strings.Contains(body, "pesada en consulta") {
		t.Errorf("page after correcting:\n%s", body)
	}
	var issueID int64
	var newValue string
	pool.QueryRow(context.Background(), `SELECT issue_id, new_value FROM migration_correction WHERE source_id = 'P3'`).Scan(&issueID, &newValue)
	if issueID != is.ID || newValue != "0.350" {
		t.Errorf("audit row: issue %d, new %q", issueID, newValue)
	}
	// From the record page (no issue) the redirect returns there.
	form.Del("issue")
	form.Set("type", "pet")
	form.Set("value", "0,4 kg")
	if code, _, loc = c.post("/correct", form, nil); code != http.StatusSeeOther || loc != "/record?id=P3&type=pet&done=corrected" {
		t.Errorf("correct from record page: %d → %q", code, loc)
	}
}

func TestCheckAddr(t *testing.T) {
	for addr, ok := range map[string]bool{"127.0.0.1:8080": true, "localhost:0": true, "[::1]:80": true,
		"0.0.0.0:8080": false, ":8080": false, "192.168.1.5:80": false} {
		if err := review.CheckAddr(addr, false); (err == nil) != ok {
			t.Errorf("CheckAddr(%q) = %v", addr, err)
		}
	}
	if err := review.CheckAddr("0.0.0.0:8080", true); err != nil {
		t.Errorf("allow remote: %v", err)
	}
	if err := review.CheckAddr("nonsense", true); err == nil {
		t.Error("malformed address accepted")
	}
}

// TestServeStopsOnCancel cancels the context while clients hold
// connections open the way browsers do: Serve returns nil before the old
// 5 s grace would end, having closed every connection, and a request in
// flight still gets its answer.
func TestServeStopsOnCancel(t *testing.T) {
	tests := []struct {
		name string
		// open connects to addr and leaves the connection in the state the
		// case names; it returns the connection for the end-of-test check.
		open func(t *testing.T, addr string) net.Conn
	}{
		{"no client", func(t *testing.T, addr string) net.Conn { return nil }},
		{"idle keep-alive connection", func(t *testing.T, addr string) net.Conn {
			c := dial(t, addr)
			if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: "+addr+"\r\n\r\n"); err != nil {
				t.Fatal(err)
			}
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			if resp.Close || string(body) != "ok" {
				t.Fatalf("first response: close=%v body %q, want a kept-alive ok", resp.Close, body)
			}
			return c
		}},
		{"connection opened, nothing sent", func(t *testing.T, addr string) net.Conn {
			return dial(t, addr)
		}},
		{"half-sent request", func(t *testing.T, addr string) net.Conn {
			c := dial(t, addr)
			if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: "+addr+"\r\nX-Half: "); err != nil {
				t.Fatal(err)
			}
			return c
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() {
				done <- review.Serve(ctx, ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
			}()
			conn := tt.open(t, ln.Addr().String())
			if conn != nil {
				defer conn.Close()
			}
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("Serve after cancel: %v", err)
				}
			case <-time.After(4 * time.Second):
				t.Fatal("Serve still running 4 s after cancel")
			}
			if conn != nil {
				// The deadline only bounds a failing test; a closed connection answers at once.
				conn.SetReadDeadline(time.Now().Add(10 * time.Second))
				if n, err := conn.Read(make([]byte, 1)); !errors.Is(err, io.EOF) && !errors.Is(err, syscall.ECONNRESET) {
					t.Errorf("connection still open after Serve returned: read %d bytes, %v", n, err)
				}
			}
		})
	}
}

// TestServeFinishesRequestInFlight: a request being handled when the context
// is cancelled still gets its whole answer.
func TestServeFinishesRequestInFlight(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- review.Serve(ctx, ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			close(started)
			<-ctx.Done() // answer only once the shutdown has been asked for
			io.WriteString(w, "finished")
		}))
	}()
	got := make(chan string, 1)
	go func() {
		body, err := httpGetBody("http://" + ln.Addr().String())
		if err != nil {
			body = err.Error()
		}
		got <- body
	}()
	<-started
	cancel()
	if body := <-got; body != "finished" {
		t.Errorf("request in flight got %q, want its answer", body)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve after cancel: %v", err)
		}
	case <-time.After(4 * time.Second):
		t.Fatal("Serve still running 4 s after cancel")
	}
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func httpGetBody(url string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
