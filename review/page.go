// Package review is the local review page of `recon review`: unresolved
// quality issues with filters, each row's source and destination side by
// side, and forms to resolve an issue or correct a field. It is plain
// net/http and html/template with no scripts. It serves loopback clients
// only unless told otherwise, and every POST must carry the process's
// random token in a form field and a SameSite cookie, from the page's own
// origin. Served beyond loopback (--allow-remote) every request must also
// carry the process's access token, first in the URL recon printed, then in
// an HttpOnly cookie, and name one of the server's own addresses as Host.
package review

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/petfriendly/recon/audit"
	"github.com/petfriendly/recon/internal/i18n"
	"github.com/petfriendly/recon/internal/words"
	"github.com/petfriendly/recon/source"
	"github.com/petfriendly/recon/source/normalize"
)

//go:embed page.html
var pageFS embed.FS

// Options configure the handler.
type Options struct {
	DB       audit.DB
	Lang     i18n.Lang
	Operator string // prefills the "by" fields
	Now      func() time.Time
	Location *time.Location  // the clinic's time zone for the times shown; nil is Bogotá
	Mapping  *source.Mapping // vocabularies used at import
	// AllowRemote serves other machines: requests need the access token
	// and a Host header naming a loopback address or one of Hosts. Without
	// it only loopback host names are served, which also defeats DNS
	// rebinding.
	AllowRemote bool
	// Hosts are the addresses and names the server answers to beyond
	// loopback (see ListenHosts), with or without a port.
	Hosts []string
	// PageSize is how many issues the list shows (default 200).
	PageSize int
}

// Handler serves the review page.
type Handler struct {
	opts   Options
	token  string // per-process CSRF token
	cookie string // cookie name, unique per process so two servers on one host do not clash
	// access is the remote mode's key, accessCookie the cookie carrying it.
	access, accessCookie string
	hosts                map[string]bool
	tpl                  *template.Template
	mux                  *http.ServeMux
}

// New builds the handler with a fresh random token.
func New(opts Options) (*Handler, error) {
	if opts.DB == nil {
		return nil, errors.New("review page: no database")
	}
	if opts.Now == nil {
		return nil, errors.New("review page: no clock")
	}
	if opts.PageSize <= 0 {
		opts.PageSize = 200
	}
	b := make([]byte, 36)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("review page: token: %w", err)
	}
	h := &Handler{opts: opts, token: hex.EncodeToString(b[:32]), cookie: "recon_csrf_" + hex.EncodeToString(b[32:])}
	if opts.AllowRemote {
		a := make([]byte, 32)
		if _, err := rand.Read(a); err != nil {
			return nil, fmt.Errorf("review page: access token: %w", err)
		}
		h.access = hex.EncodeToString(a)
		h.accessCookie = "recon_access_" + hex.EncodeToString(b[32:])
		h.hosts = map[string]bool{}
		for _, host := range opts.Hosts {
			h.hosts[hostKey(host)] = true
		}
	}
	tpl, err := template.New("page").Funcs(h.funcs()).ParseFS(pageFS, "page.html")
	if err != nil {
		return nil, fmt.Errorf("review page: %w", err)
	}
	h.tpl = tpl
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", h.list)
	mux.HandleFunc("GET /issues/{id}", h.issue)
	mux.HandleFunc("POST /issues/{id}/resolve", h.resolve)
	mux.HandleFunc("POST /correct", h.correct)
	mux.HandleFunc("GET /record", h.record)
	mux.HandleFunc("GET /find", h.find)
	h.mux = mux
	return h, nil
}

// Token is the CSRF token forms must carry, for tests.
func (h *Handler) Token() string { return h.token }

// AccessToken is the key remote clients must present (empty on loopback):
// the command prints it once, in the page's URL.
func (h *Handler) AccessToken() string { return h.access }

// hostKey is a Host header's host part as compared: lower case, an IP
// literal in its canonical spelling.
func hostKey(hostport string) string {
	host := hostport
	if hh, _, err := net.SplitHostPort(hostport); err == nil {
		host = hh
	}
	if ip, ok := literalAddr(host); ok {
		return ip.String()
	}
	return strings.ToLower(strings.TrimSuffix(host, "."))
}

func (h *Handler) funcs() template.FuncMap {
	l := h.opts.Lang
	return template.FuncMap{
		"s":         func(es, en string) string { return l.S(es, en) },
		"sev":       func(s string) string { return words.Severity(l, s) },
		"typeLabel": func(name string) string { return audit.TypeLabel(l, name) },
		"status":    func(s string) string { return audit.StatusLabel(l, s) },
		"outcome":   func(status, reason string) string { return words.Outcome(l, status, reason) },
		"base":      filepath.Base,
		"when": func(t time.Time) string {
			loc := h.opts.Location
			if loc == nil {
				loc = normalize.Bogota()
			}
			return t.In(loc).Format("2006-01-02 15:04 MST")
		},
		"correctable": func(typ, field string) bool {
			fields, _ := audit.CorrectableFields(typ)
			for _, f := range fields {
				if f.Name == field {
					return true
				}
			}
			return false
		},
	}
}

// ServeHTTP checks the host and, for POSTs, origin and token, then routes.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("Cache-Control", "no-store")
	if !loopbackHost(r.Host) && !h.hosts[hostKey(r.Host)] {
		http.Error(w, h.opts.Lang.S("host no permitido", "host not allowed"), http.StatusForbidden)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if h.opts.AllowRemote && !h.checkAccess(w, r) {
		return
	}
	if r.Method == http.MethodPost {
		if err := h.checkPost(r); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
	} else {
		http.SetCookie(w, &http.Cookie{Name: h.cookie, Value: h.token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
	}
	h.mux.ServeHTTP(w, r)
}

// maxBody bounds every request's body: the page's forms are a few fields.
const maxBody = 64 << 10

// checkAccess lets a remote request through when it carries the access
// token: a GET with ?token= gets the cookie and is sent back to the same
// page without the token in its address; otherwise the cookie must hold it.
// It answers the refusal itself and reports whether to go on.
func (h *Handler) checkAccess(w http.ResponseWriter, r *http.Request) bool {
	l := h.opts.Lang
	q := r.URL.Query()
	if q.Has("token") {
		if r.Method != http.MethodGet || subtle.ConstantTimeCompare([]byte(q.Get("token")), []byte(h.access)) != 1 {
			http.Error(w, l.S("token de acceso inválido", "invalid access token"), http.StatusForbidden)
			return false
		}
		http.SetCookie(w, &http.Cookie{Name: h.accessCookie, Value: h.access, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		q.Del("token")
		u := *r.URL
		u.RawQuery = q.Encode()
		http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
		return false
	}
	c, err := r.Cookie(h.accessCookie)
	if err != nil {
		http.Error(w, l.S("falta el token de acceso: abra la dirección con ?token= que recon mostró al iniciar",
			"access token missing: open the address with ?token= that recon printed when it started"), http.StatusUnauthorized)
		return false
	}
	if subtle.ConstantTimeCompare([]byte(c.Value), []byte(h.access)) != 1 {
		http.Error(w, l.S("token de acceso inválido", "invalid access token"), http.StatusForbidden)
		return false
	}
	return true
}

// loopbackHost accepts localhost and loopback addresses, with any port.
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, ok := literalAddr(host)
	return ok && ip.IsLoopback()
}

// checkPost refuses cross-site posts: a foreign Origin (or Referer), a
// cross-site fetch, or a missing or wrong token in the cookie or the form.
func (h *Handler) checkPost(r *http.Request) error {
	l := h.opts.Lang
	self := "http://" + r.Host
	if o := r.Header.Get("Origin"); o != "" && o != self {
		return errors.New(l.F("origen no permitido: %s", "origin not allowed: %s", o))
	}
	if ref := r.Header.Get("Referer"); r.Header.Get("Origin") == "" && ref != "" {
		u, err := url.Parse(ref)
		if err != nil || u.Scheme+"://"+u.Host != self {
			return errors.New(l.S("referencia de otro sitio", "cross-site referer"))
		}
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return errors.New(l.F("petición de otro sitio (%s)", "cross-site request (%s)", site))
	}
	c, err := r.Cookie(h.cookie)
	if err != nil || subtle.ConstantTimeCompare([]byte(c.Value), []byte(h.token)) != 1 {
		return errors.New(l.S("falta la cookie de la sesión: recargue la página", "session cookie missing: reload the page"))
	}
	if err := r.ParseForm(); err != nil {
		return errors.New(l.S("formulario ilegible", "unreadable form"))
	}
	if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(h.token)) != 1 {
		return errors.New(l.S("token del formulario inválido: recargue la página", "invalid form token: reload the page"))
	}
	return nil
}

// form holds what the operator typed, to show it again after a refusal.
type form struct {
	Resolution, By, Field, Value, Reason string
}

// page is everything the template shows.
type page struct {
	View, Title, Lang, Token, Flash, Error, Query string
	Form                                          form

	Filter     audit.IssueFilter
	Issues     []audit.Issue
	Total      int
	IssueTypes []audit.IssueTypeCount
	Severities []string
	TypeNames  []string
	NextOffset int
	NextURL    string

	Detail  *audit.IssueDetail
	Record  *audit.RecordView // the chain of the record page
	Target  *audit.RecordView // the row the correction form edits
	Matches []audit.Match
}

func (h *Handler) newPage(view, title string) *page {
	return &page{View: view, Title: title, Lang: string(h.opts.Lang), Token: h.token, Form: form{By: h.opts.Operator}}
}

func (h *Handler) render(w http.ResponseWriter, code int, p *page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	if err := h.tpl.ExecuteTemplate(w, "page", p); err != nil {
		// Headers are gone; the truncated page shows something broke.
		fmt.Fprintf(w, "<p>%s</p>", template.HTMLEscapeString(err.Error()))
	}
}

// fail shows an error: a refusal in the operator's words, anything else as
// a server error.
func (h *Handler) fail(w http.ResponseWriter, err error) {
	var re *audit.Error
	p := h.newPage("error", h.opts.Lang.S("Error", "Error"))
	code := http.StatusInternalServerError
	if errors.As(err, &re) {
		p.Error = re.Text(h.opts.Lang)
		code = http.StatusNotFound
		if re.Code != audit.CodeNotFound && re.Code != audit.CodeUnknownID {
			code = http.StatusUnprocessableEntity
		}
	} else {
		p.Error = err.Error()
	}
	h.render(w, code, p)
}

func (h *Handler) flash(r *http.Request) string {
	switch r.URL.Query().Get("done") {
	case "resolved":
		return h.opts.Lang.S("Problema marcado como resuelto.", "Issue marked as resolved.")
	case "corrected":
		return h.opts.Lang.S("Corrección guardada y auditada.", "Correction saved and audited.")
	}
	return ""
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	l := h.opts.Lang
	q := r.URL.Query()
	f := audit.IssueFilter{Severity: q.Get("severity"), IssueType: q.Get("issue_type"), Type: q.Get("type"),
		Unresolved: true, Limit: h.opts.PageSize}
	f.BatchID, _ = strconv.ParseInt(strings.TrimSpace(q.Get("batch")), 10, 64)
	f.Offset, _ = strconv.Atoi(q.Get("offset"))
	p := h.newPage("list", l.S("Problemas de calidad sin resolver", "Unresolved quality issues"))
	p.Flash = h.flash(r)
	p.Filter = f
	p.Severities = []string{source.SevCritical, source.SevWarning, source.SevInfo}
	for _, t := range source.Types() {
		p.TypeNames = append(p.TypeNames, t.Name)
	}
	var err error
	if p.IssueTypes, err = audit.OpenIssueTypes(r.Context(), h.opts.DB); err != nil {
		h.fail(w, err)
		return
	}
	p.Issues, p.Total, err = audit.ListIssues(r.Context(), h.opts.DB, f)
	var re *audit.Error
	if errors.As(err, &re) {
		p.Error = re.Text(l)
		h.render(w, http.StatusBadRequest, p)
		return
	}
	if err != nil {
		h.fail(w, err)
		return
	}
	if next := f.Offset + len(p.Issues); next < p.Total {
		p.NextOffset = next
		v := r.URL.Query()
		v.Set("offset", strconv.Itoa(next))
		p.NextURL = "/?" + v.Encode()
	}
	h.render(w, http.StatusOK, p)
}

func (h *Handler) issuePage(r *http.Request, id int64) (*page, error) {
	d, err := audit.ShowIssue(r.Context(), h.opts.DB, id, audit.ViewOptions{Mapping: h.opts.Mapping})
	if err != nil {
		return nil, err
	}
	p := h.newPage("issue", h.opts.Lang.F("Problema %d", "Issue %d", id))
	p.Detail = &d
	p.Target = d.Record
	if d.Record != nil && d.Issue.Field != "" {
		p.Form.Field = d.Issue.Field
	}
	return p, nil
}

func (h *Handler) issue(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	p, err := h.issuePage(r, id)
	if err != nil {
		h.fail(w, err)
		return
	}
	p.Flash = h.flash(r)
	h.render(w, http.StatusOK, p)
}

func (h *Handler) resolve(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	res := audit.Resolution{Text: r.PostForm.Get("resolution"), By: r.PostForm.Get("by"), At: h.opts.Now()}
	_, err = audit.ResolveIssue(r.Context(), h.opts.DB, id, res)
	var re *audit.Error
	if errors.As(err, &re) && re.Code != audit.CodeNotFound {
		p, perr := h.issuePage(r, id)
		if perr != nil {
			h.fail(w, perr)
			return
		}
		p.Error = re.Text(h.opts.Lang)
		p.Form.Resolution, p.Form.By = res.Text, res.By
		h.render(w, http.StatusUnprocessableEntity, p)
		return
	}
	if err != nil {
		h.fail(w, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/issues/%d?done=resolved", id), http.StatusSeeOther)
}

func (h *Handler) correct(w http.ResponseWriter, r *http.Request) {
	pf := r.PostForm
	issueID, _ := strconv.ParseInt(pf.Get("issue"), 10, 64)
	req := audit.CorrectRequest{Type: pf.Get("type"), SourceID: pf.Get("source_id"),
		Changes: []audit.Change{{Field: pf.Get("field"), Value: pf.Get("value")}},
		Reason:  pf.Get("reason"), By: pf.Get("by"), At: h.opts.Now(), IssueID: issueID, Mapping: h.opts.Mapping}
	_, err := audit.Correct(r.Context(), h.opts.DB, req)
	back := "/record?" + url.Values{"type": {req.Type}, "id": {req.SourceID}}.Encode()
	if issueID != 0 {
		back = fmt.Sprintf("/issues/%d", issueID)
	}
	var re *audit.Error
	if errors.As(err, &re) {
		var p *page
		var perr error
		if issueID != 0 {
			p, perr = h.issuePage(r, issueID)
		} else {
			p, perr = h.recordPage(r, req.Type, req.SourceID)
		}
		if perr != nil {
			h.fail(w, perr)
			return
		}
		p.Error = re.Text(h.opts.Lang)
		p.Form.Field, p.Form.Value, p.Form.Reason, p.Form.By = pf.Get("field"), pf.Get("value"), req.Reason, req.By
		h.render(w, http.StatusUnprocessableEntity, p)
		return
	}
	if err != nil {
		h.fail(w, err)
		return
	}
	sep := "?"
	if strings.Contains(back, "?") {
		sep = "&"
	}
	http.Redirect(w, r, back+sep+"done=corrected", http.StatusSeeOther)
}

func (h *Handler) recordPage(r *http.Request, typ, id string) (*page, error) {
	root, err := audit.Show(r.Context(), h.opts.DB, typ, id, audit.ViewOptions{Mapping: h.opts.Mapping})
	if err != nil {
		return nil, err
	}
	p := h.newPage("record", audit.TypeLabel(h.opts.Lang, root.Type)+" "+root.SourceID)
	p.Record = &root
	p.Target = focusOf(&root)
	if p.Target != nil {
		p.Title = audit.TypeLabel(h.opts.Lang, p.Target.Type) + " " + p.Target.SourceID
	}
	return p, nil
}

// focusOf finds the row the chain was asked for.
func focusOf(v *audit.RecordView) *audit.RecordView {
	if v.Focus {
		return v
	}
	for i := range v.Children {
		if f := focusOf(&v.Children[i]); f != nil {
			return f
		}
	}
	return nil
}

func (h *Handler) record(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p, err := h.recordPage(r, q.Get("type"), q.Get("id"))
	if err != nil {
		h.fail(w, err)
		return
	}
	p.Flash = h.flash(r)
	h.render(w, http.StatusOK, p)
}

func (h *Handler) find(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	p := h.newPage("find", h.opts.Lang.F("Búsqueda: %s", "Search: %s", q))
	p.Query = q
	if q != "" {
		m, err := audit.Find(r.Context(), h.opts.DB, q, 100)
		if err != nil {
			h.fail(w, err)
			return
		}
		p.Matches = m
	}
	h.render(w, http.StatusOK, p)
}

// shutdownGrace is how long Serve lets requests in flight finish once ctx is
// cancelled. The page's requests take milliseconds; what outlives the grace is
// a connection that will not go idle by itself: a browser's pre-opened socket
// or a request still being sent.
const shutdownGrace = time.Second

// Serve runs the handler on the listener until ctx is cancelled, then shuts
// down: requests in flight get shutdownGrace to finish, after which every
// connection still open (idle browsers, half-sent requests) is closed. A
// cancelled ctx is a normal end and returns nil.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	return ServeTimeouts(ctx, ln, h, DefaultTimeouts())
}

// Timeouts bound how long a client may hold a connection: sending the
// headers, the whole request, receiving the answer, and idle between
// requests on a keep-alive connection.
type Timeouts struct {
	ReadHeader, Read, Write, Idle time.Duration
}

// DefaultTimeouts are generous for a page answering in milliseconds and
// short enough that a silent client does not keep a connection for long.
func DefaultTimeouts() Timeouts {
	return Timeouts{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Write: 60 * time.Second, Idle: 30 * time.Second}
}

// ServeTimeouts is Serve with the given timeouts (tests shorten them).
func ServeTimeouts(ctx context.Context, ln net.Listener, h http.Handler, t Timeouts) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: t.ReadHeader, ReadTimeout: t.Read, WriteTimeout: t.Write, IdleTimeout: t.Idle,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) }}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("review page: %w", err)
	case <-ctx.Done():
	}
	// Shutdown also stops keep-alives: responses written from now on close
	// their connection.
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		if !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("review page: shut down: %w", err)
		}
		// Close drops the connections left; its only error would come from
		// closing the listener, which Shutdown has already done.
		srv.Close()
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("review page: %w", err)
	}
	return nil
}

// CheckAddr refuses to listen beyond this machine unless allowRemote: the
// page shows clients' personal data and writes to the database.
func CheckAddr(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %w", addr, err)
	}
	if allowRemote || resolvesToLoopback(context.Background(), host) {
		return nil
	}
	return &RemoteError{Addr: addr}
}

// RemoteError is a non-loopback address given without permission.
type RemoteError struct{ Addr string }

func (e *RemoteError) Error() string {
	return fmt.Sprintf("address %s is reachable from other machines; use a loopback address or --allow-remote", e.Addr)
}
