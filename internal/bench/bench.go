// Package bench measures recon against the floor (psql \copy of every CSV
// into all-text tables) and a peer loader (pgloader) on a generated export,
// and recon's import of a large generated XLSX workbook, in one private
// PostgreSQL cluster, and writes docs/performance.md. It is run by
// `make bench`, `make bench-scaling` and `make bench-xlsx` through
// cmd/recon-bench.
package bench

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/petfriendly/recon/database"
)

// Step names, in the order they run inside each repetition.
const (
	StepFloor    = "floor"
	StepPGLoader = "pgloader"
	StepSchema   = "schema-floor"
	StepImport   = "import"
	StepVerify   = "verify"
	// The same two commands run by the binary built from Options.BeforeRev,
	// on the same export and cluster, for a before-and-after in one run.
	StepImportBefore = "import-before"
	StepVerifyBefore = "verify-before"
)

// Steps lists the steps in table order.
var Steps = []string{StepFloor, StepPGLoader, StepSchema, StepImportBefore, StepImport, StepVerifyBefore, StepVerify}

// schemaTables are the tables recon import writes, parents first: the
// schema floor reloads exactly the rows an import wrote into them.
var schemaTables = []string{"migration_migrationbatch", "accounts_user", "vet_clinic_ownerprofile", "pets_pet",
	"medical_medicalrecord", "medical_vaccinationrecord", "inventory_product", "appointments_appointment",
	"billing_invoice", "billing_invoiceitem", "documents_document", "migration_migrationrecord",
	"migration_dataqualityissue", "migration_externalidmapping"}

// Sections of docs/performance.md this package writes.
const (
	SectionSideBySide = "side-by-side"
	SectionScaling    = "scaling"
	SectionGoBench    = "go-benchmarks"
	// SectionXLSX runs the XLSX step alone: it writes xlsx.json and prints
	// the table, and leaves the document alone (its table belongs to the
	// side-by-side section, which a run of one step must not replace).
	SectionXLSX = "xlsx"
)

// Options configure a run.
type Options struct {
	Recon string // recon binary
	// Before, if set, is a recon binary built from the revision BeforeRev:
	// each repetition also imports and verifies with it, and the run fails
	// if its content fingerprint differs from Recon's.
	Before    string
	BeforeRev string
	Work      string // scratch folder: cluster, exports, per-run homes
	Scales    []int
	Reps      int
	Seed      int
	Doc       string // docs/performance.md; "" writes no document
	DataDir   string // where the raw JSON results go; "" none
	Section   string // SectionSideBySide or SectionScaling
	PGLoader  bool   // run the peer step
	XLSXMB    int    // XLSX step: unpacked MiB of its workbook; 0 skips it (side-by-side and xlsx sections only)
	Command   string // the command that reproduces this run, quoted in the document
	Out       io.Writer
}

// Result is everything one run measured.
type Result struct {
	Section string    `json:"section"`
	Command string    `json:"command"`
	Date    time.Time `json:"date"`
	Machine Machine   `json:"machine"`
	Reps    int       `json:"reps"`
	// BeforeRev is the revision the before steps ran ("" when none did).
	BeforeRev string        `json:"before_rev,omitempty"`
	Scales    []ScaleResult `json:"scales"`
	XLSX      *XLSXResult   `json:"xlsx,omitempty"`
	Notes     []string      `json:"notes,omitempty"`
}

// ScaleResult holds the repetitions of every step at one scale.
type ScaleResult struct {
	Scale     int   `json:"scale"`
	Files     int   `json:"files"`
	Bytes     int64 `json:"bytes"`
	Rows      int64 `json:"rows"`       // data rows the floor loaded
	ReconRows int64 `json:"recon_rows"` // source records recon read (sum of batch totals)
	PGLRows   int64 `json:"pgloader_rows"`
	// Content is verify's content fingerprint of recon's import,
	// BeforeContent the before binary's (equal, or the run fails).
	Content       string                   `json:"content_fingerprint,omitempty"`
	BeforeContent string                   `json:"before_content_fingerprint,omitempty"`
	Steps         map[string][]Measurement `json:"steps"`
}

// csvFile is one export file and the all-text table it is loaded into.
type csvFile struct {
	path    string
	table   string
	columns []string
}

type runner struct {
	opts    Options
	timeBin string
	psql    string
	pgl     string
	url     string // cluster URL (database "recon")
	res     *Result
}

// Run performs the measurements and writes the document section.
func Run(ctx context.Context, opts Options) (*Result, error) {
	if opts.Reps < 1 {
		opts.Reps = 3
	}
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	if opts.Section == "" {
		opts.Section = SectionSideBySide
	}
	if opts.Section == SectionXLSX && opts.XLSXMB <= 0 {
		return nil, errors.New("the xlsx section needs a workbook size (XLSXMB, --xlsx-mb) above 0")
	}
	r := &runner{opts: opts, res: &Result{Section: opts.Section, Command: opts.Command, Date: time.Now().UTC().Truncate(time.Second),
		Machine: machineInfo(), Reps: opts.Reps}}
	if opts.Before != "" {
		if opts.BeforeRev == "" {
			opts.BeforeRev = filepath.Base(opts.Before)
			r.opts.BeforeRev = opts.BeforeRev
		}
		r.res.BeforeRev = opts.BeforeRev
	}
	if err := r.setup(ctx); err != nil {
		r.stopCluster() // setup may fail after the cluster started
		return nil, err
	}
	defer r.stopCluster()
	if opts.Section != SectionXLSX {
		for _, scale := range opts.Scales {
			sr, err := r.scale(ctx, scale)
			if err != nil {
				return r.res, err
			}
			r.res.Scales = append(r.res.Scales, sr)
		}
	}
	if opts.XLSXMB > 0 && (opts.Section == SectionSideBySide || opts.Section == SectionXLSX) {
		x, err := r.xlsx(ctx)
		if err != nil {
			return r.res, err
		}
		r.res.XLSX = x
	}
	if opts.DataDir != "" {
		if err := os.MkdirAll(opts.DataDir, 0o755); err != nil {
			return r.res, err
		}
		b, _ := json.MarshalIndent(r.res, "", "  ")
		if err := os.WriteFile(filepath.Join(opts.DataDir, opts.Section+".json"), append(b, '\n'), 0o644); err != nil {
			return r.res, err
		}
	}
	if opts.Section == SectionXLSX {
		fmt.Fprint(opts.Out, RenderXLSX(r.res.XLSX))
		return r.res, nil
	}
	if opts.Doc != "" {
		var body string
		if opts.Section == SectionScaling {
			body = RenderScaling(r.res)
		} else {
			body = RenderSideBySide(r.res)
		}
		if err := UpdateDoc(opts.Doc, opts.Section, body); err != nil {
			return r.res, err
		}
	}
	return r.res, nil
}

func (r *runner) logf(format string, args ...any) {
	fmt.Fprintf(r.opts.Out, "[%s] %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func (r *runner) setup(ctx context.Context) error {
	var err error
	if r.opts.Recon, err = filepath.Abs(r.opts.Recon); err != nil {
		return err
	}
	if _, err := os.Stat(r.opts.Recon); err != nil {
		return fmt.Errorf("recon binary: %w (run make build)", err)
	}
	if r.opts.Work, err = filepath.Abs(r.opts.Work); err != nil {
		return err
	}
	if err := os.MkdirAll(r.opts.Work, 0o755); err != nil {
		return err
	}
	if r.psql, err = findTool("psql"); err != nil {
		return errors.New("psql not found: apt-get install postgresql-client")
	}
	r.timeBin = timeV()
	if r.timeBin == "" {
		r.note("/usr/bin/time (GNU time) is missing: peak RSS not measured (apt-get install time)")
	}
	if r.opts.PGLoader {
		if p, err := exec.LookPath("pgloader"); err == nil {
			r.pgl = p
			if out, err := exec.Command(p, "--version").CombinedOutput(); err == nil {
				r.res.Machine.PGLoader = strings.Join(strings.Fields(strings.SplitN(string(out), "\n", 2)[0]), " ")
			}
		} else {
			r.note("pgloader is not installed (apt-get install pgloader): the peer column is empty")
		}
	}
	home := filepath.Join(r.opts.Work, "home")
	start := exec.CommandContext(ctx, r.opts.Recon, "--home="+home, "--lang=en", "db", "start")
	start.Env = privateClusterEnv()
	if out, err := start.CombinedOutput(); err != nil {
		return fmt.Errorf("start the bench cluster: %v: %s", err, out)
	}
	url := exec.CommandContext(ctx, r.opts.Recon, "--home="+home, "db", "url")
	url.Env = privateClusterEnv()
	out, err := url.Output()
	if err != nil {
		return fmt.Errorf("bench cluster url: %w", err)
	}
	lines := strings.Fields(strings.TrimSpace(string(out)))
	if len(lines) == 0 {
		return errors.New("bench cluster url: empty")
	}
	r.url = lines[len(lines)-1]
	conn, err := pgx.Connect(ctx, database.WithDatabase(r.url, "postgres"))
	if err != nil {
		return fmt.Errorf("connect to the bench cluster: %w", err)
	}
	defer conn.Close(ctx)
	var v, fsync, sb, wal string
	_ = conn.QueryRow(ctx, "SELECT current_setting('server_version'), current_setting('fsync'), current_setting('shared_buffers'), current_setting('max_wal_size')").Scan(&v, &fsync, &sb, &wal)
	r.res.Machine.Postgres = fmt.Sprintf("PostgreSQL %s (fsync=%s, shared_buffers=%s, max_wal_size=%s; recon's private cluster settings)", v, fsync, sb, wal)
	r.logf("bench cluster: %s", r.url)
	return nil
}

// privateClusterEnv is the environment without the variables that point
// recon at another server (DATABASE_URL, PG*): with them "db url" would name
// that server and the bench would measure it instead of its own cluster.
func privateClusterEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DATABASE_URL=") && !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return env
}

// stopCluster stops the bench's private cluster; its data stays in Work.
func (r *runner) stopCluster() {
	home := filepath.Join(r.opts.Work, "home")
	stop := exec.Command(r.opts.Recon, "--home="+home, "--lang=en", "db", "stop")
	stop.Env = privateClusterEnv()
	if out, err := stop.CombinedOutput(); err != nil {
		r.logf("stop the bench cluster: %v: %s", err, out)
	}
}

func (r *runner) note(s string) {
	r.res.Notes = append(r.res.Notes, s)
	r.logf("note: %s", s)
}

// admin runs statements on the cluster's maintenance database.
func (r *runner) admin(ctx context.Context, stmts ...string) error {
	conn, err := pgx.Connect(ctx, database.WithDatabase(r.url, "postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// freshDB drops and creates db, and checkpoints so the previous step's dirty
// pages are not written during the next measurement.
func (r *runner) freshDB(ctx context.Context, db string) error {
	id := pgx.Identifier{db}.Sanitize()
	return r.admin(ctx, "DROP DATABASE IF EXISTS "+id+" WITH (FORCE)", "CREATE DATABASE "+id, "CHECKPOINT")
}

func (r *runner) dropDB(ctx context.Context, db string) error {
	return r.admin(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{db}.Sanitize()+" WITH (FORCE)")
}

func (r *runner) exec(ctx context.Context, db string, fn func(*pgx.Conn) error) error {
	conn, err := pgx.Connect(ctx, database.WithDatabase(r.url, db))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return fn(conn)
}

func (r *runner) scale(ctx context.Context, scale int) (ScaleResult, error) {
	sr := ScaleResult{Scale: scale, Steps: map[string][]Measurement{}}
	export := filepath.Join(r.opts.Work, fmt.Sprintf("export-s%d", scale))
	r.logf("scale %d: generating %s", scale, export)
	if out, err := exec.CommandContext(ctx, r.opts.Recon, "--lang=en", "gen", "--out="+export,
		"--scale="+strconv.Itoa(scale), "--seed="+strconv.Itoa(r.opts.Seed)).CombinedOutput(); err != nil {
		return sr, fmt.Errorf("recon gen: %v: %s", err, out)
	}
	files, err := exportFiles(export)
	if err != nil {
		return sr, err
	}
	sr.Files = len(files)
	for _, f := range files {
		if st, err := os.Stat(f.path); err == nil {
			sr.Bytes += st.Size()
		}
	}
	for rep := 1; rep <= r.opts.Reps; rep++ {
		m, rows, err := r.floor(ctx, files)
		if err != nil {
			return sr, err
		}
		sr.Rows = rows
		sr.Steps[StepFloor] = append(sr.Steps[StepFloor], m)
		r.logf("scale %d rep %d/%d floor: %.2f s, %d rows (load %.2f)", scale, rep, r.opts.Reps, m.Seconds, rows, m.Load1)

		if r.pgl != "" {
			m, rows, err := r.pgloader(ctx, files)
			if err != nil {
				return sr, err
			}
			sr.PGLRows = rows
			sr.Steps[StepPGLoader] = append(sr.Steps[StepPGLoader], m)
			r.logf("scale %d rep %d/%d pgloader: %.2f s, %d rows (load %.2f)", scale, rep, r.opts.Reps, m.Seconds, rows, m.Load1)
		}

		if r.opts.Before != "" {
			imp, ver, _, _, content, err := r.recon(ctx, r.opts.Before, export, false)
			if err != nil {
				return sr, fmt.Errorf("before (%s): %w", r.opts.BeforeRev, err)
			}
			sr.BeforeContent = content
			sr.Steps[StepImportBefore] = append(sr.Steps[StepImportBefore], imp)
			sr.Steps[StepVerifyBefore] = append(sr.Steps[StepVerifyBefore], ver)
			r.logf("scale %d rep %d/%d before (%s) import: %.2f s, RSS %d MB (load %.2f); verify: %.2f s, RSS %d MB (load %.2f)",
				scale, rep, r.opts.Reps, r.opts.BeforeRev, imp.Seconds, imp.MaxRSSK/1024, imp.Load1, ver.Seconds, ver.MaxRSSK/1024, ver.Load1)
		}
		imp, ver, schema, reconRows, content, err := r.recon(ctx, r.opts.Recon, export, true)
		if err != nil {
			return sr, err
		}
		sr.Content = content
		if r.opts.Before != "" && sr.BeforeContent != content {
			return sr, fmt.Errorf("scale %d: the database content differs: content fingerprint %s before (%s), %s now",
				scale, sr.BeforeContent, r.opts.BeforeRev, content)
		}
		sr.Steps[StepSchema] = append(sr.Steps[StepSchema], schema)
		r.logf("scale %d rep %d/%d schema floor: %.2f s (load %.2f)", scale, rep, r.opts.Reps, schema.Seconds, schema.Load1)
		sr.ReconRows = reconRows
		sr.Steps[StepImport] = append(sr.Steps[StepImport], imp)
		sr.Steps[StepVerify] = append(sr.Steps[StepVerify], ver)
		r.logf("scale %d rep %d/%d import: %.2f s, RSS %d MB (load %.2f); verify: %.2f s, RSS %d MB (load %.2f)",
			scale, rep, r.opts.Reps, imp.Seconds, imp.MaxRSSK/1024, imp.Load1, ver.Seconds, ver.MaxRSSK/1024, ver.Load1)
	}
	return sr, nil
}

// exportFiles lists the export's CSV files with the all-text table each
// is loaded into (bench_floor_<file>, one text column per header cell).
func exportFiles(dir string) ([]csvFile, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var out []csvFile
	for _, p := range paths {
		header, err := readHeader(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, csvFile{path: p, table: TableName(filepath.Base(p)), columns: header})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no CSV file in %s", dir)
	}
	return out, nil
}

func readHeader(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	h, err := cr.Read()
	if err != nil {
		return nil, err
	}
	if len(h) > 0 {
		h[0] = strings.TrimPrefix(h[0], "\uFEFF")
	}
	return h, nil
}

var nonIdent = regexp.MustCompile(`[^a-z0-9_]+`)

// TableName is bench_floor_<file name without extension>, as an identifier.
func TableName(file string) string {
	base := strings.ToLower(strings.TrimSuffix(file, filepath.Ext(file)))
	return "bench_floor_" + strings.Trim(nonIdent.ReplaceAllString(base, "_"), "_")
}

// CreateTableSQL is the all-text table for a CSV header. Empty or repeated
// header cells get positional names so every column has one.
func CreateTableSQL(table string, header []string) string {
	seen := map[string]bool{}
	cols := make([]string, len(header))
	for i, h := range header {
		name := strings.TrimSpace(h)
		if name == "" || seen[name] {
			name = fmt.Sprintf("col%d", i+1)
		}
		seen[name] = true
		cols[i] = pgx.Identifier{name}.Sanitize() + " text"
	}
	return "CREATE TABLE " + pgx.Identifier{table}.Sanitize() + " (" + strings.Join(cols, ", ") + ")"
}

func (r *runner) createTables(ctx context.Context, db string, files []csvFile) error {
	return r.exec(ctx, db, func(c *pgx.Conn) error {
		for _, f := range files {
			if _, err := c.Exec(ctx, CreateTableSQL(f.table, f.columns)); err != nil {
				return err
			}
		}
		return nil
	})
}

func (r *runner) countRows(ctx context.Context, db string, files []csvFile) (int64, error) {
	var total int64
	err := r.exec(ctx, db, func(c *pgx.Conn) error {
		for _, f := range files {
			var n int64
			if err := c.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{f.table}.Sanitize()).Scan(&n); err != nil {
				return err
			}
			total += n
		}
		return nil
	})
	return total, err
}

// floor loads every CSV with psql \copy, one transaction per file, into
// all-text tables created beforehand (not timed).
func (r *runner) floor(ctx context.Context, files []csvFile) (Measurement, int64, error) {
	const db = "bench_floor"
	if err := r.freshDB(ctx, db); err != nil {
		return Measurement{}, 0, err
	}
	defer r.dropDB(context.WithoutCancel(ctx), db)
	if err := r.createTables(ctx, db, files); err != nil {
		return Measurement{}, 0, err
	}
	var script strings.Builder
	for _, f := range files {
		fmt.Fprintf(&script, "\\copy %s FROM %s WITH (FORMAT csv, HEADER true)\n", pgx.Identifier{f.table}.Sanitize(), quoteLiteral(f.path))
	}
	sqlFile := filepath.Join(r.opts.Work, "floor.sql")
	if err := os.WriteFile(sqlFile, []byte(script.String()), 0o644); err != nil {
		return Measurement{}, 0, err
	}
	m, out, err := runTimed(ctx, "", nil, r.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database.WithDatabase(r.url, db), "-f", sqlFile)
	if err != nil {
		return m, 0, fmt.Errorf("floor (psql \\copy): %v: %s", err, out)
	}
	rows, err := r.countRows(ctx, db, files)
	return m, rows, err
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// PGLoaderURL is pgloader's connection string for a Unix-socket cluster:
// pgsql://user@unix:/socket/dir:port/db.
func PGLoaderURL(clusterURL, db string) (string, error) {
	cfg, err := pgx.ParseConfig(clusterURL)
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(cfg.Host, "/") {
		return fmt.Sprintf("pgsql://%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, db), nil
	}
	return fmt.Sprintf("pgsql://%s@unix:%s:%d/%s", cfg.User, cfg.Host, cfg.Port, db), nil
}

// PGLoaderScript is one LOAD CSV command per file, into the same all-text
// tables as the floor.
func PGLoaderScript(target string, files []string, tables []string) string {
	var b strings.Builder
	for i, f := range files {
		fmt.Fprintf(&b, "LOAD CSV\n  FROM %s\n  INTO %s\n  TARGET TABLE %s\n", quoteLiteral(f), target, tables[i])
		b.WriteString("  WITH skip header = 1, fields terminated by ',', fields optionally enclosed by '\"', fields escaped by double-quote;\n\n")
	}
	return b.String()
}

func (r *runner) pgloader(ctx context.Context, files []csvFile) (Measurement, int64, error) {
	const db = "bench_pgloader"
	if err := r.freshDB(ctx, db); err != nil {
		return Measurement{}, 0, err
	}
	defer r.dropDB(context.WithoutCancel(ctx), db)
	if err := r.createTables(ctx, db, files); err != nil {
		return Measurement{}, 0, err
	}
	target, err := PGLoaderURL(r.url, db)
	if err != nil {
		return Measurement{}, 0, err
	}
	var paths, tables []string
	for _, f := range files {
		paths, tables = append(paths, f.path), append(tables, f.table)
	}
	load := filepath.Join(r.opts.Work, "pgloader.load")
	if err := os.WriteFile(load, []byte(PGLoaderScript(target, paths, tables)), 0o644); err != nil {
		return Measurement{}, 0, err
	}
	m, out, err := runTimed(ctx, "", nil, r.pgl, "--no-ssl-cert-verification", "--logfile", filepath.Join(r.opts.Work, "pgloader.log"), load)
	if err != nil {
		return m, 0, fmt.Errorf("pgloader: %v: %s", err, tail(out, 2000))
	}
	rows, err := r.countRows(ctx, db, files)
	return m, rows, err
}

// recon imports the export with the binary bin into a fresh database and
// verifies it, each under /usr/bin/time -v, with a fresh home (media store,
// rejects); with schemaFloor it then times the schema floor of what the
// import wrote. content is verify's content fingerprint.
func (r *runner) recon(ctx context.Context, bin, export string, withSchema bool) (imp, ver, schema Measurement, rows int64, content string, err error) {
	const db = "bench_recon"
	if err = r.freshDB(ctx, db); err != nil {
		return
	}
	defer r.dropDB(context.WithoutCancel(ctx), db)
	home := filepath.Join(r.opts.Work, "run")
	if err = os.RemoveAll(home); err != nil {
		return
	}
	defer os.RemoveAll(home)
	url := database.WithDatabase(r.url, db)
	base := []string{"--home=" + home, "--database-url=" + url, "--lang=en", "--no-progress", "-q"}
	var out []byte
	imp, out, err = runTimed(ctx, r.timeBin, nil, bin, append(base, "import", "all", "--dir="+export)...)
	if err != nil {
		err = fmt.Errorf("recon import all: %v: %s", err, tail(out, 2000))
		return
	}
	err = r.exec(ctx, db, func(c *pgx.Conn) error {
		return c.QueryRow(ctx, "SELECT COALESCE(sum(total_records), 0) FROM migration_migrationbatch WHERE status = 'completed'").Scan(&rows)
	})
	if err != nil {
		return
	}
	if err = r.admin(ctx, "CHECKPOINT"); err != nil {
		return
	}
	verifyJSON := filepath.Join(r.opts.Work, "verify.json")
	ver, out, err = runTimed(ctx, r.timeBin, nil, bin, append(base, "verify", "--json="+verifyJSON)...)
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 1 {
		// 1 = verification ran and found problems: still a full run.
		ver.Note, err = "exit 1 (problems found)", nil
	}
	if err != nil {
		err = fmt.Errorf("recon verify: %v: %s", err, tail(out, 2000))
		return
	}
	if content, err = contentFingerprint(verifyJSON); err != nil {
		return
	}
	if withSchema {
		schema, err = r.schemaFloor(ctx, db)
	}
	return
}

// contentFingerprint reads the content fingerprint of verify's JSON report.
func contentFingerprint(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read verify's report: %w", err)
	}
	var rep struct {
		Content string `json:"content_fingerprint"`
	}
	if err := json.Unmarshal(b, &rep); err != nil || rep.Content == "" {
		return "", fmt.Errorf("verify's report %s has no content fingerprint (%v)", path, err)
	}
	return rep.Content, nil
}

// schemaFloor dumps (binary COPY) every row the import wrote, then times
// loading them with psql \copy into a fresh database with recon's schema
// (constraints, indexes and foreign keys): what writing recon's output costs
// the server with no client work at all.
func (r *runner) schemaFloor(ctx context.Context, from string) (Measurement, error) {
	const db = "bench_schema"
	dir := filepath.Join(r.opts.Work, "schema-dump")
	if err := os.RemoveAll(dir); err != nil {
		return Measurement{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Measurement{}, err
	}
	defer os.RemoveAll(dir)
	var dump, load strings.Builder
	for _, t := range schemaTables {
		file := quoteLiteral(filepath.Join(dir, t+".bin"))
		fmt.Fprintf(&dump, "\\copy %s TO %s WITH (FORMAT binary)\n", t, file)
		fmt.Fprintf(&load, "\\copy %s FROM %s WITH (FORMAT binary)\n", t, file)
	}
	dumpFile, loadFile := filepath.Join(r.opts.Work, "schema-dump.sql"), filepath.Join(r.opts.Work, "schema-load.sql")
	if err := os.WriteFile(dumpFile, []byte(dump.String()), 0o644); err != nil {
		return Measurement{}, err
	}
	if err := os.WriteFile(loadFile, []byte(load.String()), 0o644); err != nil {
		return Measurement{}, err
	}
	if _, out, err := runTimed(ctx, "", nil, r.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database.WithDatabase(r.url, from), "-f", dumpFile); err != nil {
		return Measurement{}, fmt.Errorf("schema floor dump: %v: %s", err, out)
	}
	if err := r.freshDB(ctx, db); err != nil {
		return Measurement{}, err
	}
	defer r.dropDB(context.WithoutCancel(ctx), db)
	pool, err := database.Open(ctx, database.WithDatabase(r.url, db))
	if err != nil {
		return Measurement{}, err
	}
	_, err = database.Migrate(ctx, pool)
	pool.Close()
	if err != nil {
		return Measurement{}, fmt.Errorf("schema floor: migrate: %w", err)
	}
	if err := r.admin(ctx, "CHECKPOINT"); err != nil {
		return Measurement{}, err
	}
	m, out, err := runTimed(ctx, "", nil, r.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database.WithDatabase(r.url, db), "-f", loadFile)
	if err != nil {
		return m, fmt.Errorf("schema floor load: %v: %s", err, out)
	}
	return m, nil
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
