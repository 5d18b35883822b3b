package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func httpGet(url string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// findChromium returns the browser; without it developers skip and CI fails.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("CI must have chromium (apt-get install chromium)")
	}
	t.Skip("chromium not installed (apt-get install chromium)")
	return ""
}

// browser drives headless Chromium over the DevTools protocol on
// --remote-debugging-pipe: JSON messages ended by NUL on fds 3 (to the
// browser) and 4 (from it), so no WebSocket library is needed.
type browser struct {
	t       *testing.T
	cmd     *exec.Cmd
	w       *os.File
	stderr  *syncBuffer
	mu      sync.Mutex
	nextID  int
	pending map[int]chan cdpMessage
	events  chan cdpMessage
	session string
}

type cdpMessage struct {
	ID        int             `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Error     *struct {
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

const cdpTimeout = 60 * time.Second

func startBrowser(t *testing.T, chromium string) *browser {
	t.Helper()
	toBrowser, browserIn, err := os.Pipe() // the browser reads fd 3
	if err != nil {
		t.Fatal(err)
	}
	browserOut, fromBrowser, err := os.Pipe() // and writes fd 4
	if err != nil {
		t.Fatal(err)
	}
	b := &browser{t: t, w: browserIn, stderr: &syncBuffer{}, pending: map[int]chan cdpMessage{}, events: make(chan cdpMessage, 4096)}
	b.cmd = exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--no-first-run", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
		"--user-data-dir="+t.TempDir(), "--remote-debugging-pipe", "about:blank")
	b.cmd.ExtraFiles = []*os.File{toBrowser, fromBrowser}
	b.cmd.Stderr = b.stderr
	// Its own process group, so cleanup ends the renderers with it.
	b.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := b.cmd.Start(); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	toBrowser.Close()
	fromBrowser.Close()
	exited := make(chan struct{})
	go func() { b.cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		b.send("Browser.close", nil, "")
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
		}
		syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
		<-exited
		b.w.Close()
	})
	go b.read(browserOut)

	var target struct {
		TargetID string `json:"targetId"`
	}
	b.call("Target.createTarget", map[string]any{"url": "about:blank"}, "", &target)
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	b.call("Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, "", &attached)
	b.session = attached.SessionID
	b.call("Page.enable", nil, b.session, nil)
	return b
}

func (b *browser) read(r io.ReadCloser) {
	defer r.Close()
	br := bufio.NewReader(r)
	for {
		msg, err := br.ReadBytes(0)
		if err != nil {
			close(b.events)
			return
		}
		var m cdpMessage
		if json.Unmarshal(bytes.TrimSuffix(msg, []byte{0}), &m) != nil {
			continue
		}
		if m.ID != 0 {
			b.mu.Lock()
			ch := b.pending[m.ID]
			delete(b.pending, m.ID)
			b.mu.Unlock()
			if ch != nil {
				ch <- m
			}
			continue
		}
		select {
		case b.events <- m:
		default: // nobody waits for that many events
		}
	}
}

func (b *browser) send(method string, params any, session string) (chan cdpMessage, error) {
	b.mu.Lock()
	b.nextID++
	id := b.nextID
	ch := make(chan cdpMessage, 1)
	b.pending[id] = ch
	b.mu.Unlock()
	msg, _ := json.Marshal(map[string]any{"id": id, "method": method, "params": orEmpty(params), "sessionId": session})
	if session == "" {
		msg, _ = json.Marshal(map[string]any{"id": id, "method": method, "params": orEmpty(params)})
	}
	_, err := b.w.Write(append(msg, 0))
	return ch, err
}

func orEmpty(p any) any {
	if p == nil {
		return map[string]any{}
	}
	return p
}

// call sends a command and decodes its result into out.
func (b *browser) call(method string, params any, session string, out any) {
	b.t.Helper()
	ch, err := b.send(method, params, session)
	if err != nil {
		b.t.Fatalf("%s: %v\n%s", method, err, b.stderr.String())
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			b.t.Fatalf("%s: %s", method, m.Error.Message)
		}
		if out != nil {
			if err := json.Unmarshal(m.Result, out); err != nil {
				b.t.Fatalf("%s: %v", method, err)
			}
		}
	case <-time.After(cdpTimeout):
		b.t.Fatalf("%s: no answer from chromium\n%s", method, b.stderr.String())
	}
}

// drain forgets past events so a wait sees only what follows.
func (b *browser) drain() {
	for {
		select {
		case <-b.events:
		default:
			return
		}
	}
}

func (b *browser) waitLoad() {
	b.t.Helper()
	deadline := time.After(cdpTimeout)
	for {
		select {
		case m, ok := <-b.events:
			if !ok {
				b.t.Fatalf("chromium exited\n%s", b.stderr.String())
			}
			if m.Method == "Page.loadEventFired" && m.SessionID == b.session {
				return
			}
		case <-deadline:
			b.t.Fatal("page did not load")
		}
	}
}

func (b *browser) navigate(url string) {
	b.t.Helper()
	b.drain()
	b.call("Page.navigate", map[string]any{"url": url}, b.session, nil)
	b.waitLoad()
}

// eval runs an expression in the page and decodes its value into out.
func (b *browser) eval(expr string, out any) {
	b.t.Helper()
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		Exception *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	b.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, b.session, &r)
	if r.Exception != nil {
		b.t.Fatalf("eval %s: %s", expr, r.Exception.Text)
	}
	if out != nil {
		if err := json.Unmarshal(r.Result.Value, out); err != nil {
			b.t.Fatalf("eval %s: %v (%s)", expr, err, r.Result.Value)
		}
	}
}

func (b *browser) text(selector string) string {
	b.t.Helper()
	var s string
	b.eval(fmt.Sprintf(`(document.querySelector(%q) || {innerText: ""}).innerText`, selector), &s)
	return s
}

// click presses the mouse on the middle of the element, as a person does.
func (b *browser) click(selector string) {
	b.t.Helper()
	var pt *struct{ X, Y float64 }
	b.eval(fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) return null;
		e.scrollIntoView({block: "center"}); const r = e.getBoundingClientRect();
		return {X: r.x + r.width / 2, Y: r.y + r.height / 2}; })()`, selector), &pt)
	if pt == nil {
		b.t.Fatalf("no element %s on the page", selector)
	}
	for _, typ := range []string{"mouseMoved", "mousePressed", "mouseReleased"} {
		b.call("Input.dispatchMouseEvent", map[string]any{"type": typ, "x": pt.X, "y": pt.Y, "button": "left", "clickCount": 1},
			b.session, nil)
	}
}

// clickAndWait clicks something that loads a page (a link, a submit button).
func (b *browser) clickAndWait(selector string) {
	b.t.Helper()
	b.drain()
	b.click(selector)
	b.waitLoad()
}

// typeInto clicks a field, clears it and types the text.
func (b *browser) typeInto(selector, text string) {
	b.t.Helper()
	b.click(selector)
	b.eval(fmt.Sprintf(`document.querySelector(%q).select()`, selector), nil)
	b.call("Input.insertText", map[string]any{"text": text}, b.session, nil)
}

// TestReviewPageInBrowser resolves one issue and corrects one field through
// the review page in headless Chromium, then checks verify agrees.
func TestReviewPageInBrowser(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	e := newReviewEnv(t)
	if res := e.verifyJSON(t); !res.OK {
		t.Fatalf("the tiny export does not verify before the review: %+v", res.Mismatches)
	}
	base, stop := startReview(t, e, "--by", "Dr. Pablo")
	b := startBrowser(t, chromium)

	b.navigate(base)
	if h := b.text("h1"); h != "Problemas de calidad sin resolver" {
		t.Fatalf("list page title %q\n%s", h, b.text("body"))
	}
	// Filter with the form: only the invalid document.
	b.eval(`document.querySelector("#f-issue-type").value = "invalid_document"`, nil)
	b.clickAndWait("#filter-submit")
	var rows []string
	b.eval(`[...document.querySelectorAll("#issues tbody tr")].map(r => r.innerText)`, &rows)
	if len(rows) != 1 || !strings.Contains(rows[0], "invalid_document") || !strings.Contains(rows[0], "C3") {
		t.Fatalf("filtered rows = %q", rows)
	}
	issue := e.issueID(t, "invalid_document")
	b.clickAndWait(fmt.Sprintf("#issue-%d", issue))
	if h := b.text("h1"); h != fmt.Sprintf("Problema %d", issue) {
		t.Fatalf("issue page title %q", h)
	}
	if raw := b.text("pre"); !strings.HasPrefix(raw, "C3,Sin Nombre Válido,CC,77") {
		t.Errorf("the row as read is not shown: %q", raw)
	}
	var by string
	b.eval(`document.querySelector("#resolve-by").value`, &by)
	if by != "Dr. Pablo" {
		t.Errorf("resolver prefilled with %q", by)
	}
	b.typeInto("#resolution", "Cédula corregida en la historia física")
	b.clickAndWait("#resolve-submit")
	if f := b.text("#flash"); !strings.Contains(f, "resuelto") {
		t.Fatalf("no confirmation after resolving: %q\n%s", f, b.text("body"))
	}
	if s := b.text("#issue-status"); !strings.Contains(s, "resuelto: Cédula corregida en la historia física — Dr. Pablo") {
		t.Errorf("issue status %q", s)
	}

	// Correct P3's weight (0 in OkVet means unknown) from its issue page.
	b.navigate(base + "?issue_type=unknown_weight")
	weight := e.issueID(t, "unknown_weight")
	b.clickAndWait(fmt.Sprintf("#issue-%d", weight))
	var field string
	b.eval(`document.querySelector("#correct-field").value`, &field)
	if field != "peso" {
		t.Errorf("the issue's field is not preselected: %q", field)
	}
	b.typeInto("#correct-value", "no sé")
	b.typeInto("#correct-reason", "pesada en consulta")
	b.clickAndWait("#correct-submit")
	if msg := b.text("#error"); !strings.Contains(msg, "valor inválido para peso") {
		t.Fatalf("an invalid weight was not refused: %q", msg)
	}
	b.typeInto("#correct-value", "350 g")
	b.clickAndWait("#correct-submit")
	if f := b.text("#flash"); !strings.Contains(f, "Corrección guardada") {
		t.Fatalf("no confirmation after correcting: %q\n%s", f, b.text("body"))
	}
	var class string
	b.eval(`document.querySelector("#field-peso").className`, &class)
	if row := b.text("#field-peso"); class != "st-corrected" || !strings.Contains(row, "0.350") {
		t.Errorf("peso row after correcting: class %q, %q", class, row)
	}

	// Markup in the data is shown as text, never run.
	b.navigate(base + "record?type=pet&id=P2")
	var safe bool
	b.eval(`document.scripts.length === 0 && document.body.innerText.includes("<script>alert(1)</script>")`, &safe)
	if !safe {
		t.Error("P2's notes were not shown as plain text")
	}
	stop()

	res := e.verifyJSON(t)
	if !res.OK || len(res.Mismatches) != 0 {
		t.Errorf("verify after the review: ok=%v mismatches=%+v", res.OK, res.Mismatches)
	}
	if len(res.Corrections) != 1 {
		t.Fatalf("corrections = %+v, want P3's weight", res.Corrections)
	}
	if c := res.Corrections[0]; c.Type != "pets" || c.SourceID != "P3" || c.Field != "peso" || c.Old != "" || c.New != "0.350" ||
		c.By != "Dr. Pablo" || c.Reason != "pesada en consulta" {
		t.Errorf("correction = %+v", c)
	}
	found := false
	for _, ic := range res.IssuesByType {
		if ic.Type == "invalid_document" {
			found = true
			if ic.Open != 0 || ic.Resolved != 1 {
				t.Errorf("invalid_document counts = %+v, want resolved", ic)
			}
		}
	}
	if !found {
		t.Error("verify lists no invalid_document issue")
	}
	var resolvedBy string
	e.db.Pool.QueryRow(context.Background(), `SELECT resolved_by_name FROM migration_dataqualityissue WHERE id = $1`, issue).Scan(&resolvedBy)
	if resolvedBy != "Dr. Pablo" {
		t.Errorf("resolved by %q", resolvedBy)
	}
}
