package review_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/internal/pgtest"
	"github.com/petfriendly/recon/review"
)

// TestRemoteNeedsTheAccessToken: with --allow-remote every request needs
// the access token (in the URL once, then the cookie) and a Host naming
// the server; a POST /correct without it changes nothing.
func TestRemoteNeedsTheAccessToken(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	h, err := review.New(review.Options{DB: db.Pool, Lang: i18n.ES, Now: func() time.Time { return testNow },
		AllowRemote: true, Hosts: []string{"10.1.2.3", "revision.clinica.lan"}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	tok := h.AccessToken()
	if len(tok) != 64 {
		t.Fatalf("access token %q, want 64 hex digits", tok)
	}
	good := &http.Cookie{Name: "", Value: tok}
	tests := []struct {
		name, method, path, host string
		cookie                   bool // send the access cookie
		wrongCookie              bool
		wantCode                 int
		wantBody, wantLocation   string
	}{
		{"no token", "GET", "/", "10.1.2.3:8080", false, false, 401, "falta el token de acceso", ""},
		{"no token on loopback either", "GET", "/", "", false, false, 401, "falta el token de acceso", ""},
		{"wrong token in the URL", "GET", "/?token=abc", "10.1.2.3:8080", false, false, 403, "token de acceso inválido", ""},
		{"token in the URL", "GET", "/issues/7?token=" + tok, "10.1.2.3:8080", false, false, 303, "", "/issues/7"},
		{"token in the URL keeps the query", "GET", "/?severity=critical&token=" + tok, "10.1.2.3", false, false, 303, "", "/?severity=critical"},
		{"cookie", "GET", "/", "10.1.2.3:8080", true, false, 200, "Problemas de calidad", ""},
		{"cookie, operator's name as host", "GET", "/", "REVISION.clinica.lan:8080", true, false, 200, "Problemas de calidad", ""},
		{"wrong cookie", "GET", "/", "10.1.2.3:8080", false, true, 403, "token de acceso inválido", ""},
		{"foreign host with the cookie", "GET", "/", "evil.example", true, false, 403, "host no permitido", ""},
		{"foreign host with the token", "GET", "/?token=" + tok, "evil.example:8080", false, false, 403, "host no permitido", ""},
		{"POST /correct without the token", "POST", "/correct", "10.1.2.3:8080", false, false, 401, "falta el token de acceso", ""},
		{"POST /correct with the token in the URL", "POST", "/correct?token=" + tok, "10.1.2.3:8080", false, false, 403, "token de acceso inválido", ""},
		{"POST /correct from a foreign host", "POST", "/correct", "evil.example", true, false, 403, "host no permitido", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"type": {"pets"}, "source_id": {"1"}, "field": {"nombre"}, "value": {"Hacked"}, "reason": {"x"}, "by": {"x"}, "csrf": {h.Token()}}
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.host != "" {
				req.Host = tt.host
			}
			if tt.cookie || tt.wrongCookie {
				c := *good
				c.Name = accessCookieName(t, h, srv)
				if tt.wrongCookie {
					c.Value = strings.Repeat("0", 64)
				}
				req.AddCookie(&c)
			}
			cl := *srv.Client()
			cl.CheckRedirect = noRedirect
			resp, err := cl.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.wantCode || !strings.Contains(string(b), tt.wantBody) || resp.Header.Get("Location") != tt.wantLocation {
				t.Fatalf("%s %s Host %q: %d %q location %q; want %d %q location %q", tt.method, tt.path, tt.host,
					resp.StatusCode, b, resp.Header.Get("Location"), tt.wantCode, tt.wantBody, tt.wantLocation)
			}
			if tt.wantCode == 303 {
				var got *http.Cookie
				for _, c := range resp.Cookies() {
					if strings.HasPrefix(c.Name, "recon_access_") {
						got = c
					}
				}
				if got == nil || got.Value != tok || !got.HttpOnly || got.SameSite != http.SameSiteStrictMode || got.Path != "/" {
					t.Errorf("access cookie %+v, want HttpOnly SameSite=Strict holding the token", got)
				}
			}
		})
	}
	var corrections int
	if err := db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM migration_correction`).Scan(&corrections); err != nil {
		t.Fatal(err)
	}
	if corrections != 0 {
		t.Errorf("%d corrections written by refused requests", corrections)
	}
}

// accessCookieName follows the token URL once and returns the cookie's name.
func accessCookieName(t *testing.T, h *review.Handler, srv *httptest.Server) string {
	t.Helper()
	cl := *srv.Client()
	cl.CheckRedirect = noRedirect
	resp, err := cl.Get(srv.URL + "/?token=" + h.AccessToken())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if strings.HasPrefix(c.Name, "recon_access_") {
			return c.Name
		}
	}
	t.Fatal("no access cookie")
	return ""
}

// TestLoopbackNeedsNoToken: without --allow-remote the page works as
// before (no access token) and still refuses a foreign Host.
func TestLoopbackNeedsNoToken(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	h, err := review.New(review.Options{DB: db.Pool, Lang: i18n.EN, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	if h.AccessToken() != "" {
		t.Errorf("loopback handler has an access token")
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, tt := range []struct {
		host     string
		wantCode int
	}{{"", 200}, {"localhost:8080", 200}, {"evil.example", 403}, {"10.1.2.3:8080", 403}} {
		req, _ := http.NewRequest("GET", srv.URL+"/", nil)
		if tt.host != "" {
			req.Host = tt.host
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.wantCode {
			t.Errorf("Host %q: %d, want %d", tt.host, resp.StatusCode, tt.wantCode)
		}
	}
}

// TestIdleKeepAliveIsClosed: a keep-alive connection left idle is closed
// by the server once the idle timeout passes.
func TestIdleKeepAliveIsClosed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tm := review.DefaultTimeouts()
	tm.Idle = 100 * time.Millisecond
	done := make(chan error, 1)
	go func() {
		done <- review.ServeTimeouts(ctx, ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }), tm)
	}()
	conn := dial(t, ln.Addr().String())
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	// The deadline only bounds a failing test: the server closes the idle
	// connection after 100 ms, long before.
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	got, err := io.ReadAll(conn)
	if err != nil && !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("idle keep-alive not closed by the server: %v", err)
	}
	if !strings.HasPrefix(string(got), "HTTP/1.1 200") || !strings.HasSuffix(string(got), "ok") {
		t.Errorf("answer before the close: %q", got)
	}
	if d := review.DefaultTimeouts(); d.ReadHeader <= 0 || d.Read <= 0 || d.Write <= 0 || d.Idle <= 0 {
		t.Errorf("default timeouts %+v, want all set", d)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestListenHosts: a listener on one address answers to it; one on every
// interface to each interface's address, loopback included.
func TestListenHosts(t *testing.T) {
	got, err := review.ListenHosts(&net.TCPAddr{IP: net.ParseIP("192.168.1.20"), Port: 8080})
	if err != nil || len(got) != 1 || got[0] != "192.168.1.20" {
		t.Errorf("ListenHosts(192.168.1.20) = %v, %v", got, err)
	}
	got, err = review.ListenHosts(&net.TCPAddr{IP: net.IPv4zero, Port: 8080})
	if err != nil || !contains(got, "127.0.0.1") {
		t.Errorf("ListenHosts(0.0.0.0) = %v, %v; want the interfaces' addresses", got, err)
	}
	if _, err := review.ListenHosts(&net.UnixAddr{Name: "/tmp/x", Net: "unix"}); err == nil {
		t.Errorf("ListenHosts(unix) accepted")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
