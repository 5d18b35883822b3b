package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/petfriendly/recon/audit"
	"github.com/petfriendly/recon/internal/pgtest"
	"github.com/petfriendly/recon/reconcile"
)

// reviewEnv is a database holding the tiny export, and the CLI arguments
// that reach it.
type reviewEnv struct {
	db   *pgtest.DB
	base []string
}

func newReviewEnv(t *testing.T) reviewEnv {
	t.Helper()
	db := pgtest.MustOpenDB(t)
	e := reviewEnv{db: db, base: []string{"--database-url", db.URL, "--home", t.TempDir(), "--no-progress"}}
	if code, out, errs := e.run(t, nil, "import", "all", "--dir", copyExport(t), "--operator", "ana"); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	return e
}

// run executes the CLI with stdin answering any confirmation.
func (e reviewEnv) run(t *testing.T, stdin io.Reader, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := RunWithStdin(context.Background(), append(append([]string{}, e.base...), args...), stdin, &out, &errb)
	return code, out.String(), errb.String()
}

func (e reviewEnv) issueID(t *testing.T, issueType string) int64 {
	t.Helper()
	var id int64
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT min(id) FROM migration_dataqualityissue WHERE issue_type = $1`,
		issueType).Scan(&id); err != nil {
		t.Fatalf("issue %s: %v", issueType, err)
	}
	return id
}

func (e reviewEnv) verifyJSON(t *testing.T) reconcile.Result {
	t.Helper()
	code, out, errs := e.run(t, nil, "verify", "--json", "-")
	var res reconcile.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("verify --json: exit %d: %v\n%s%s", code, err, out, errs)
	}
	if (code == 0) != res.OK {
		t.Fatalf("verify exit %d with ok=%v", code, res.OK)
	}
	return res
}

func TestBatchesCommand(t *testing.T) {
	t.Parallel()
	e := newReviewEnv(t)
	code, out, errs := e.run(t, nil, "batches")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"lote", "clientes.csv", "mascotas", "completado", "ana", "problemas abiertos"} {
		if !strings.Contains(out, want) {
			t.Errorf("batches lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = e.run(t, nil, "--lang", "en", "batches")
	if code != 0 || !strings.Contains(out, "completed") || !strings.Contains(out, "open issues") {
		t.Errorf("english batches: exit %d\n%s", code, out)
	}
	code, out, _ = e.run(t, nil, "batches", "--json")
	var list []audit.Batch
	if err := json.Unmarshal([]byte(out), &list); code != 0 || err != nil || len(list) != 5 || list[0].Type != "clients" || list[0].Total != 4 {
		t.Fatalf("batches --json: exit %d, %v: %+v", code, err, list)
	}
	var doc []map[string]any
	json.Unmarshal([]byte(out), &doc)
	for _, k := range []string{"id", "type", "file", "status", "dry_run", "total_rows", "imported", "merged_duplicates", "rejected",
		"orphaned", "skipped", "open_issues", "started_at", "finished_at", "operator"} {
		if _, ok := doc[0][k]; !ok {
			t.Errorf("batch JSON lacks %q", k)
		}
	}
}

// TestListCommandsCSV parses the --csv output of batches and issues list back
// with encoding/csv: the header is the same fixed English codes in both
// languages, and a row carries the values of the tiny export.
func TestListCommandsCSV(t *testing.T) {
	t.Parallel()
	e := newReviewEnv(t)
	tests := []struct {
		name   string
		args   []string
		header []string
		rows   int
		check  func(t *testing.T, row map[string]string)
	}{
		{"batches", []string{"batches", "--csv"},
			[]string{"id", "type", "file", "sha256", "profile", "status", "dry_run", "operator", "total_rows", "imported", "updated",
				"unchanged", "merged_duplicates", "rejected", "orphaned", "skipped", "issues", "open_issues", "started_at",
				"finished_at", "rolled_back_at", "error"}, 5,
			func(t *testing.T, row map[string]string) {
				if row["type"] != "clients" || row["status"] != "completed" || row["dry_run"] != "false" || row["total_rows"] != "4" ||
					row["operator"] != "ana" || filepath.Base(row["file"]) != "clientes.csv" || row["rolled_back_at"] != "" {
					t.Errorf("first batch row = %v", row)
				}
				if _, err := time.Parse(time.RFC3339, row["started_at"]); err != nil || !strings.HasSuffix(row["started_at"], "Z") {
					t.Errorf("started_at %q is not an RFC 3339 UTC time: %v", row["started_at"], err)
				}
			}},
		{"issues list", []string{"issues", "list", "--csv", "--type", "invalid_document"},
			[]string{"id", "batch_id", "type", "source_type", "source_id", "severity", "issue_type", "field", "source_value",
				"description", "resolved", "resolution", "resolved_by", "resolved_at", "created_at"}, 1,
			func(t *testing.T, row map[string]string) {
				if row["id"] != strconv.FormatInt(e.issueID(t, "invalid_document"), 10) || row["source_id"] != "C3" ||
					row["issue_type"] != "invalid_document" || row["type"] != "clients" || row["resolved"] != "false" ||
					row["resolved_at"] != "" || row["severity"] == "" || row["batch_id"] == "0" {
					t.Errorf("issue row = %v", row)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var outputs []string
			for _, lang := range []string{"es", "en"} {
				code, out, errs := e.run(t, nil, append([]string{"--lang", lang}, tt.args...)...)
				if code != 0 {
					t.Fatalf("--lang %s: exit %d\n%s%s", lang, code, out, errs)
				}
				outputs = append(outputs, out)
			}
			if outputs[0] != outputs[1] {
				t.Errorf("the CSV depends on --lang:\n%s\n---\n%s", outputs[0], outputs[1])
			}
			records, err := csv.NewReader(strings.NewReader(outputs[0])).ReadAll()
			if err != nil {
				t.Fatalf("output is not CSV: %v\n%s", err, outputs[0])
			}
			if len(records) != tt.rows+1 || !slices.Equal(records[0], tt.header) {
				t.Fatalf("got %d records, header %q; want %d rows under %q", len(records), records[0], tt.rows, tt.header)
			}
			row := map[string]string{}
			for i, name := range records[0] {
				row[name] = records[1][i]
			}
			tt.check(t, row)
		})
	}
	if code, _, errs := e.run(t, nil, "batches", "--csv", "--json"); code != 2 || !strings.Contains(errs, "no pueden usarse juntas") {
		t.Errorf("--csv with --json: exit %d %s", code, errs)
	}
}

func TestIssuesCommands(t *testing.T) {
	t.Parallel()
	e := newReviewEnv(t)
	code, out, errs := e.run(t, nil, "issues", "list", "--severity", "critical")
	if code != 0 || !strings.Contains(out, "orphaned_record") || !strings.Contains(out, "no_contact") || strings.Contains(out, "placeholder_email") {
		t.Fatalf("list critical: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = e.run(t, nil, "issues", "list", "--type", "orphaned_record", "--source-type", "pet", "--json")
	var listed struct {
		Total  int           `json:"total"`
		Issues []audit.Issue `json:"issues"`
	}
	if err := json.Unmarshal([]byte(out), &listed); code != 0 || err != nil || listed.Total != 1 || listed.Issues[0].SourceID != "P4" {
		t.Fatalf("list --json: exit %d %v %+v", code, err, listed)
	}
	if code, _, errs = e.run(t, nil, "issues", "list", "--severity", "grave"); code != 2 || !strings.Contains(errs, "filtro inválido") {
		t.Errorf("bad severity: exit %d %s", code, errs)
	}

	id := e.issueID(t, "invalid_document")
	code, out, _ = e.run(t, nil, "issues", "show", strconv.FormatInt(id, 10))
	for _, want := range []string{"invalid_document", "Propietario C3", "clientes.csv:4", "rechazado (no_contact)", "destino: no migrado",
		"documento", "77"} {
		if !strings.Contains(out, want) {
			t.Errorf("issues show lacks %q:\n%s", want, out)
		}
	}
	if code, _, errs = e.run(t, nil, "issues", "show", "999999"); code != 2 || !strings.Contains(errs, "no existe el problema") {
		t.Errorf("unknown issue: exit %d %s", code, errs)
	}

	code, out, errs = e.run(t, nil, "issues", "resolve", strconv.FormatInt(id, 10), "--resolution", "cédula revisada", "--by", "Dr. Pablo")
	if code != 0 || !strings.Contains(out, "resuelto por Dr. Pablo") {
		t.Fatalf("resolve: exit %d\n%s%s", code, out, errs)
	}
	code, _, errs = e.run(t, nil, "issues", "resolve", strconv.FormatInt(id, 10), "--resolution", "otra vez")
	if code != 2 || !strings.Contains(errs, "ya estaba resuelto (Dr. Pablo") {
		t.Errorf("second resolve: exit %d %s", code, errs)
	}
	if code, _, errs = e.run(t, nil, "issues", "resolve", "--resolution", "todo"); code != 2 || !strings.Contains(errs, "al menos un filtro") {
		t.Errorf("unfiltered bulk resolve: exit %d %s", code, errs)
	}

	// Bulk: a "no" (or no answer) changes nothing; "sí" resolves exactly the listed issues.
	bulk := []string{"issues", "resolve", "--severity", "info", "--resolution", "informativos revisados", "--by", "ana"}
	for _, answer := range []string{"n\n", ""} {
		code, out, errs = e.run(t, strings.NewReader(answer), bulk...)
		if code != 1 || !strings.Contains(out, "¿Marcar como resueltos estos 3 problemas") || !strings.Contains(errs, "cancelado") {
			t.Fatalf("declined bulk resolve (%q): exit %d\n%s%s", answer, code, out, errs)
		}
	}
	open := func(sev string) int {
		var n int
		e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM migration_dataqualityissue WHERE severity = $1 AND NOT resolved`, sev).Scan(&n)
		return n
	}
	if open("info") != 3 {
		t.Fatalf("declining resolved something: %d open info issues", open("info"))
	}
	code, out, errs = e.run(t, strings.NewReader("sí\n"), bulk...)
	if code != 0 || !strings.Contains(out, "placeholder_email") || !strings.Contains(out, "3 problemas resueltos por ana") || open("info") != 0 {
		t.Fatalf("confirmed bulk resolve: exit %d, %d open\n%s%s", code, open("info"), out, errs)
	}
	code, out, _ = e.run(t, nil, "--lang", "en", "issues", "resolve", "--severity", "warning", "--type", "duplicate_merged", "--resolution", "ok", "--yes")
	if code != 0 || !strings.Contains(out, "1 issues resolved") {
		t.Errorf("--yes: exit %d\n%s", code, out)
	}
	code, out, _ = e.run(t, nil, "issues", "resolve", "--severity", "info", "--resolution", "x", "--yes")
	if code != 0 || !strings.Contains(out, "nada que resolver") {
		t.Errorf("nothing left: exit %d\n%s", code, out)
	}
	res := e.verifyJSON(t)
	for _, ic := range res.IssuesByType {
		if ic.Type == "invalid_document" && (ic.Open != 0 || ic.Resolved != 1) {
			t.Errorf("verify issue counts %+v", ic)
		}
	}
}

func TestCorrectCommand(t *testing.T) {
	t.Parallel()
	e := newReviewEnv(t)
	// A staff account (no owner profile) holding an e-mail.
	if _, err := e.db.Pool.Exec(context.Background(), `INSERT INTO accounts_user (id, password, email, first_name, last_name, role, is_active,
			is_staff, is_superuser, date_joined) VALUES (800010, '!', 'recepcion@clinica.co', '', '', 'receptionist', true, true, false, now())`); err != nil {
		t.Fatal(err)
	}
	refusals := []struct {
		args []string
		want string
	}{
		{[]string{"--type", "pet", "--source-id", "P1", "--set", "apodo=Lu"}, "campo desconocido \"apodo\" para pet; campos corregibles: nombre, especie"},
		{[]string{"--type", "pet", "--source-id", "P99", "--set", "nombre=Lu"}, "pet P99 no fue migrado"},
		{[]string{"--type", "pet", "--source-id", "P1", "--set", "fecha_nacimiento=31/02/2021"}, "valor inválido para fecha_nacimiento"},
		{[]string{"--type", "client", "--source-id", "C4", "--set", "ciudad=Cali"}, "duplicado fusionado con C1"},
		{[]string{"--type", "pet", "--source-id", "P1", "--set", "nombre"}, "use campo=valor"},
		{[]string{"--type", "perro", "--source-id", "P1", "--set", "nombre=x"}, "tipo desconocido"},
		{[]string{"--type", "client", "--source-id", "C2", "--set", "email=recepcion@clinica.co"},
			"recon: el correo recepcion@clinica.co ya lo usa una cuenta del personal de Pet-Friendly (rol receptionist)"},
	}
	for _, r := range refusals {
		args := append(append([]string{"correct"}, r.args...), "--reason", "prueba")
		if code, out, errs := e.run(t, nil, args...); code != 2 || !strings.Contains(errs, r.want) {
			t.Errorf("%v: exit %d, want %q\n%s%s", r.args, code, r.want, out, errs)
		}
	}
	code, out, errs := e.run(t, nil, "correct", "--type", "pet", "--source-id", "P1", "--set", "name=Lunita", "--set", "notas=Alérgica, a la penicilina",
		"--reason", "la dueña confirma", "--by", "Dr. Pablo")
	if code != 0 || !strings.Contains(out, `nombre (pets_pet.name): "Luna" → "Lunita"`) || !strings.Contains(out, `"Alérgica, a la penicilina"`) {
		t.Fatalf("correct: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = e.run(t, nil, "--lang", "en", "correct", "--type", "clients", "--source-id", "C2", "--set", "celular=311 222 3344",
		"--reason", "new number", "--by", "Ana", "--json")
	var applied []audit.Applied
	if err := json.Unmarshal([]byte(out), &applied); code != 0 || err != nil || len(applied) != 1 || applied[0].New != "+573112223344" {
		t.Fatalf("correct --json: exit %d %v\n%s", code, err, out)
	}

	res := e.verifyJSON(t)
	if !res.OK || len(res.Mismatches) != 0 || len(res.Corrections) != 3 {
		t.Fatalf("verify after corrections: ok=%v mismatches=%+v corrections=%+v", res.OK, res.Mismatches, res.Corrections)
	}
	c := res.Corrections[0]
	if c.Type != "pets" || c.SourceID != "P1" || c.Field != "nombre" || c.Old != "Luna" || c.New != "Lunita" || c.By != "Dr. Pablo" ||
		c.Reason != "la dueña confirma" || c.At.IsZero() {
		t.Errorf("correction = %+v", c)
	}
	var raw map[string]json.RawMessage
	_, out, _ = e.run(t, nil, "verify", "--json", "-")
	json.Unmarshal([]byte(out), &raw)
	var list []map[string]any
	json.Unmarshal(raw["corrections"], &list)
	for _, k := range []string{"type", "source_id", "field", "old", "new", "by", "at", "reason"} {
		if _, ok := list[0][k]; !ok {
			t.Errorf("verify JSON correction lacks %q", k)
		}
	}
	_, out, _ = e.run(t, nil, "verify")
	if !strings.Contains(out, "Correcciones manuales auditadas") || !strings.Contains(out, `mascotas P1 nombre: "Luna" → "Lunita" — Dr. Pablo`) {
		t.Errorf("text report lacks the corrections:\n%s", out)
	}
}

func TestShowCommand(t *testing.T) {
	t.Parallel()
	e := newReviewEnv(t)
	code, out, errs := e.run(t, nil, "show", "--type", "pet", "--source-id", "P1")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	order := []string{"Propietario C1 — José Pérez Gómez", "▶ Mascota P1 — Luna", "origen: mascotas.csv:2", "destino: pets_pet #",
		"peso", "12,5", "12.5", "12.500", "= igual", "Historia clínica H1", "Historia clínica H2", "Vacuna V1", "Documento D1"}
	pos := 0
	for _, want := range order {
		i := strings.Index(out[pos:], want)
		if i < 0 {
			t.Fatalf("show lacks %q after position %d:\n%s", want, pos, out)
		}
		pos += i
	}
	code, out, _ = e.run(t, nil, "show", "--find", "luna")
	if code != 0 || !strings.Contains(out, "▶ Mascota P1") {
		t.Errorf("find luna: exit %d\n%s", code, out)
	}
	code, out, errs = e.run(t, nil, "show", "--find", "ma")
	if code != 1 || !strings.Contains(out, "--type client --source-id C2") || !strings.Contains(out, "--type pet --source-id P2") || !strings.Contains(errs, "elija una") {
		t.Errorf("ambiguous find: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs = e.run(t, nil, "show", "--find", "zzz"); code != 1 || !strings.Contains(errs, "nada coincide") {
		t.Errorf("no match: exit %d %s", code, errs)
	}
	if code, _, errs = e.run(t, nil, "show", "--source-id", "P1"); code != 2 || !strings.Contains(errs, "--type") {
		t.Errorf("missing type: exit %d %s", code, errs)
	}
	code, out, _ = e.run(t, nil, "show", "--type", "client", "--source-id", "C1", "--json")
	var root audit.RecordView
	if err := json.Unmarshal([]byte(out), &root); code != 0 || err != nil || root.SourceID != "C1" || len(root.Children) != 2 {
		t.Fatalf("show --json: exit %d %v %+v", code, err, root)
	}
}

// syncBuffer is written by a command running in another goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var reviewURL = regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)

// reviewStopBound is how soon `recon review` must return after its context
// is cancelled: well before the 5 s an idle browser connection used to hold
// the shutdown for.
const reviewStopBound = 4 * time.Second

// startReview runs `recon review` until the returned stop is called; stop
// fails the test unless the command exits 0 within reviewStopBound.
func startReview(t *testing.T, e reviewEnv, args ...string) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- RunWithStdin(ctx, append(append(append([]string{}, e.base...), "review", "--addr", "127.0.0.1:0"), args...), nil, &out, &errb)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if u := reviewURL.FindString(out.String()); u != "" {
			stop := func() {
				t.Helper()
				cancel()
				select {
				case code := <-done:
					if code != 0 {
						t.Errorf("review exited %d: %s", code, errb.String())
					}
				case <-time.After(reviewStopBound):
					t.Errorf("review still running %v after cancel", reviewStopBound)
				}
			}
			return u, stop
		}
		select {
		case code := <-done:
			cancel()
			t.Fatalf("review exited %d before serving: %s%s", code, out.String(), errb.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("review did not print its address: %s%s", out.String(), errb.String())
		}
	}
}

func TestReviewCommand(t *testing.T) {
	t.Parallel()
	e := newReviewEnv(t)
	code, _, errs := e.run(t, nil, "review", "--addr", "0.0.0.0:0")
	if code != 2 || !strings.Contains(errs, "--allow-remote") {
		t.Fatalf("non-loopback address: exit %d %s", code, errs)
	}
	base, stop := startReview(t, e, "--by", "ana")
	resp, err := httpGet(base)
	if err != nil || !strings.Contains(resp, "Problemas de calidad sin resolver") {
		t.Errorf("GET %s: %v\n%s", base, err, resp)
	}
	stop()
}

// TestReviewStopsWithOpenConnections cancels `recon review` while one client
// keeps an idle keep-alive connection and another is halfway through sending
// a request, as browsers do: the command still exits 0 promptly.
func TestReviewStopsWithOpenConnections(t *testing.T) {
	t.Parallel()
	e := newReviewEnv(t)
	base, stop := startReview(t, e, "--by", "ana")
	addr := strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/")

	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	if _, err := io.WriteString(idle, "GET / HTTP/1.1\r\nHost: "+addr+"\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(idle), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Close || !strings.Contains(string(body), "Problemas de calidad sin resolver") {
		t.Fatalf("first page: status %d, close=%v\n%s", resp.StatusCode, resp.Close, body)
	}

	half, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer half.Close()
	if _, err := io.WriteString(half, "GET /?q=C1 HTTP/1.1\r\nHost: "+addr+"\r\nAccept: text/"); err != nil {
		t.Fatal(err)
	}
	stop()
}

var tokenURL = regexp.MustCompile(`http://127\.0\.0\.1:(\d+)/\?token=([0-9a-f]{64})`)

// TestReviewRemoteNeedsTheKey: `review --allow-remote` prints its address
// with the access token once; without it a request is refused, with it the
// page answers, and a foreign Host is refused even with it.
func TestReviewRemoteNeedsTheKey(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	e := reviewEnv{db: db, base: []string{"--database-url", db.URL, "--home", t.TempDir(), "--no-progress"}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- RunWithStdin(ctx, append(append([]string{}, e.base...), "review", "--addr", "127.0.0.1:0", "--allow-remote", "--host", "revision.lan"), nil, &out, &errb)
	}()
	var m []string
	for deadline := time.Now().Add(30 * time.Second); m == nil; {
		m = tokenURL.FindStringSubmatch(out.String())
		select {
		case code := <-done:
			t.Fatalf("review exited %d: %s%s", code, out.String(), errb.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no token URL printed: %s%s", out.String(), errb.String())
		}
	}
	if !strings.Contains(out.String(), "http://revision.lan:"+m[1]+"/?token="+m[2]) || !strings.Contains(errb.String(), "clave") {
		t.Errorf("output does not name the operator's host or warn about the key:\n%s%s", out.String(), errb.String())
	}
	base := "http://127.0.0.1:" + m[1] + "/"
	get := func(url, host string, jar http.CookieJar) int {
		req, _ := http.NewRequest("GET", url, nil)
		if host != "" {
			req.Host = host
		}
		resp, err := (&http.Client{Jar: jar}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := get(base, "", nil); code != http.StatusUnauthorized {
		t.Errorf("GET without the token: %d, want 401", code)
	}
	jar, _ := cookiejar.New(nil)
	if code := get(m[0], "", jar); code != http.StatusOK {
		t.Errorf("GET with the token (following the redirect with the cookie): %d, want 200", code)
	}
	if code := get(base, "", jar); code != http.StatusOK {
		t.Errorf("GET with the cookie: %d, want 200", code)
	}
	if code := get(m[0], "evil.example", nil); code != http.StatusForbidden {
		t.Errorf("GET with Host evil.example: %d, want 403", code)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("review exited %d: %s", code, errb.String())
	}
}

// TestListCommandsCSVNeutraliseFormulas: client ids, notes and the
// operator's name starting with = + - @ come out of batches --csv and
// issues list --csv with a leading apostrophe, as in the reject files.
func TestListCommandsCSVNeutraliseFormulas(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	e := reviewEnv{db: db, base: []string{"--database-url", db.URL, "--home", t.TempDir(), "--no-progress"}}
	dir := t.TempDir()
	csvText := "id,nombre,tipo_documento,documento,telefono,celular,email,direccion,ciudad,notas,fecha_registro,autorizacion_datos\n" +
		"=1+1,Ana Ruiz,CC,123,,3001234567,,,,=1+2,2020-01-15,Sí\n" +
		"@SUM(A1),Luis Mora,+XX,456,,3001234568,,,,nota,2020-01-15,Sí\n"
	if err := os.WriteFile(filepath.Join(dir, "clientes.csv"), []byte(csvText), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := e.run(t, nil, "import", "clients", "--file", filepath.Join(dir, "clientes.csv"), "--operator=-cmd|' /C calc'!A0"); code > 1 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	tests := []struct {
		name   string
		args   []string
		column string
		want   []string // some cell of the column holds each
	}{
		{"batches --csv: the operator", []string{"batches", "--csv"}, "operator", []string{"'-cmd|' /C calc'!A0"}},
		{"issues list --csv: the client ids", []string{"issues", "list", "--csv"}, "source_id", []string{"'=1+1", "'@SUM(A1)"}},
		{"issues list --csv: the values", []string{"issues", "list", "--csv"}, "source_value", []string{"'=1+2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := e.run(t, nil, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, out, errs)
			}
			records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil || len(records) < 2 {
				t.Fatalf("output is not CSV with rows: %v\n%s", err, out)
			}
			col := slices.Index(records[0], tt.column)
			if col < 0 {
				t.Fatalf("no column %s in %q", tt.column, records[0])
			}
			var cells []string
			for _, r := range records[1:] {
				cells = append(cells, r[col])
				if c := r[col]; c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
					t.Errorf("cell %q of %s is a formula to a spreadsheet", c, tt.column)
				}
			}
			for _, w := range tt.want {
				if !slices.Contains(cells, w) {
					t.Errorf("no cell %q in column %s: %q\n%s", w, tt.column, cells, out)
				}
			}
		})
	}
}
