package review_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/internal/pgtest"
	"github.com/petfriendly/recon/review"
)

func TestNewRequiresDatabaseAndClock(t *testing.T) {
	// A pool connects lazily: this one is never used.
	pool, err := pgxpool.New(context.Background(), "postgres://nobody@/x?host=/nonexistent-recon-socket")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	tests := []struct {
		name    string
		opts    review.Options
		wantErr string
	}{
		{"no database", review.Options{Now: time.Now}, "review page: no database"},
		{"no clock", review.Options{DB: pool}, "review page: no clock"},
	}
	for _, tt := range tests {
		if h, err := review.New(tt.opts); err == nil || err.Error() != tt.wantErr {
			t.Errorf("%s: New = %v, %v; want %q", tt.name, h, err, tt.wantErr)
		}
	}
}

// namingCancel is pgtest.CancelNth that also keeps the SQL of the
// statement it cancels.
type namingCancel struct {
	pgtest.CancelNth
	mu  sync.Mutex
	sql string
}

func (c *namingCancel) TraceQueryStart(ctx context.Context, conn *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	ctx = c.CancelNth.TraceQueryStart(ctx, conn, d)
	if c.Count.Load() == c.N.Load() {
		c.mu.Lock()
		c.sql = strings.ToLower(strings.TrimSpace(d.SQL))
		c.mu.Unlock()
	}
	return ctx
}

func (c *namingCancel) cancelled() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sql
}

// TestPagesReportACancelledStatement serves each page and form with each
// of its database statements cancelled in turn: every failure is a 500
// page that says why, never a partial page or a redirect (a cancelled
// rollback aside: it is ignored), and the request after the last statement
// gets its normal answer.
func TestPagesReportACancelledStatement(t *testing.T) {
	base := importTiny(t)
	ctx := context.Background()
	tracer := &namingCancel{}
	cfg := base.Config()
	cfg.ConnConfig.Tracer = tracer
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	h, err := review.New(review.Options{DB: pool, Lang: i18n.EN, Operator: "ana", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, srv: httptest.NewServer(h), h: h}
	defer c.srv.Close()
	if code, _ := c.get("/"); code != http.StatusOK || c.cookie == nil {
		t.Fatalf("list: %d, cookie %v", code, c.cookie)
	}
	doc := openIssue(t, base, "invalid_document")
	weight := openIssue(t, base, "unknown_weight") // P3, weight 0
	token := h.Token()
	get := func(path string) func() (int, string, string) {
		return func() (int, string, string) { code, body := c.get(path); return code, body, "" }
	}
	post := func(path string, form url.Values) func() (int, string, string) {
		return func() (int, string, string) { return c.post(path, form, nil) }
	}
	form := func(kv ...string) url.Values {
		v := url.Values{"csrf": {token}, "by": {"ana"}}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	tests := []struct {
		name     string
		do       func() (code int, body, location string)
		wantCode int    // after the last statement
		wantBody string // in the body or the redirect, after the last statement
	}{
		{"list", get("/"), http.StatusOK, "Unresolved quality issues"},
		{"find", get("/find?q=luna"), http.StatusOK, `href="/record?type=pets&amp;id=P1"`},
		{"issue", get("/issues/" + itoa(doc.ID)), http.StatusOK, "invalid_document"},
		{"record", get("/record?type=pet&id=P2"), http.StatusOK, `id="correct-form"`},
		{"refused resolution", post("/issues/"+itoa(doc.ID)+"/resolve", form("resolution", " ")), http.StatusUnprocessableEntity,
			`id="resolve-form"`},
		{"refused correction from the record page", post("/correct", form("type", "pets", "source_id", "P3", "field", "peso",
			"value", "pesado", "reason", "pesada")), http.StatusUnprocessableEntity, "invalid value for peso"},
		{"correction", post("/correct", form("type", "pets", "source_id", "P3", "field", "peso", "value", "350 g",
			"reason", "pesada en consulta", "issue", itoa(weight.ID))), http.StatusSeeOther, "/issues/" + itoa(weight.ID) + "?done=corrected"},
		{"resolution", post("/issues/"+itoa(doc.ID)+"/resolve", form("resolution", "revisado")), http.StatusSeeOther,
			"/issues/" + itoa(doc.ID) + "?done=resolved"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for n := int64(1); ; n++ {
				if n > 60 {
					t.Fatal("still failing after 60 statements")
				}
				tracer.Count.Store(0)
				tracer.N.Store(n)
				code, body, loc := tt.do()
				if tracer.Count.Load() < n { // the statement was never reached: the normal answer
					if code != tt.wantCode || !strings.Contains(body+loc, tt.wantBody) {
						t.Fatalf("after %d statements: %d %s, want %d with %q\n%s", n-1, code, loc, tt.wantCode, tt.wantBody, body)
					}
					return
				}
				if tracer.cancelled() == "rollback" {
					continue // a failed rollback is ignored: the pool drops the connection
				}
				if code != http.StatusInternalServerError || !strings.Contains(body, "context canceled") {
					t.Fatalf("statement %d (%s) cancelled: %d %s, want 500 saying context canceled\n%s", n, tracer.cancelled(), code, loc, body)
				}
			}
		})
	}
	tracer.N.Store(0)
	var corrections, resolved int
	if err := base.QueryRow(ctx, `SELECT (SELECT count(*) FROM migration_correction),
		(SELECT count(*) FROM migration_dataqualityissue WHERE resolved)`).Scan(&corrections, &resolved); err != nil {
		t.Fatal(err)
	}
	if corrections != 1 || resolved != 1 {
		t.Errorf("after the failures and one success each: %d corrections, %d resolved issues; want 1 and 1", corrections, resolved)
	}
}

// TestListPagesAndMalformedRequests: a list longer than a page links to
// the next one; an issue number that is not a number is not found; a form
// too large to read is refused.
func TestListPagesAndMalformedRequests(t *testing.T) {
	pool := importTiny(t)
	h, err := review.New(review.Options{DB: pool, Lang: i18n.ES, Now: func() time.Time { return testNow }, PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, srv: httptest.NewServer(h), h: h}
	defer c.srv.Close()
	code, body := c.get("/?severity=critical")
	if code != http.StatusOK || !strings.Contains(body, `<a id="next" href="/?offset=1&amp;severity=critical">Siguientes →</a>`) {
		t.Errorf("first page: %d\n%s", code, body)
	}
	code, body = c.get("/?severity=critical&offset=1")
	if code != http.StatusOK || !strings.Contains(body, `href="/?offset=2&amp;severity=critical"`) {
		t.Errorf("second page: %d\n%s", code, body)
	}
	if code, _ := c.get("/issues/abc"); code != http.StatusNotFound {
		t.Errorf("GET /issues/abc: %d, want 404", code)
	}
	form := url.Values{"csrf": {h.Token()}, "resolution": {"x"}, "by": {"ana"}}
	if code, body, _ := c.post("/issues/abc/resolve", form, nil); code != http.StatusNotFound {
		t.Errorf("POST /issues/abc/resolve: %d, want 404\n%s", code, body)
	}
	form.Set("resolution", strings.Repeat("x", 70<<10))
	if code, body, _ := c.post("/issues/1/resolve", form, nil); code != http.StatusForbidden || !strings.Contains(body, "formulario ilegible") {
		t.Errorf("oversized form: %d %q, want 403 formulario ilegible", code, body)
	}
}

func TestCheckAddrNamesTheRemoteAddress(t *testing.T) {
	err := review.CheckAddr("0.0.0.0:8080", false)
	var re *review.RemoteError
	want := "address 0.0.0.0:8080 is reachable from other machines; use a loopback address or --allow-remote"
	if !errors.As(err, &re) || re.Addr != "0.0.0.0:8080" || err.Error() != want {
		t.Errorf("CheckAddr = %v, want %q", err, want)
	}
}

// TestServeOnAClosedListener: a listener that fails is Serve's error, not
// a silent return.
func TestServeOnAClosedListener(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	err = review.Serve(context.Background(), ln, http.NotFoundHandler())
	if err == nil || !strings.HasPrefix(err.Error(), "review page: ") || !errors.Is(err, net.ErrClosed) {
		t.Errorf("Serve on a closed listener = %v, want a review page error wrapping net.ErrClosed", err)
	}
}
