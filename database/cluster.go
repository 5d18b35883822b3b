package database

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrNoBinaries means no PostgreSQL server binaries were found on this machine.
var ErrNoBinaries = errors.New("postgresql server binaries not found")

// DefaultDatabase is the database recon creates inside its private cluster.
const DefaultDatabase = "recon"

// maxSocketPath keeps the socket path under the kernel's 108-byte limit for
// sun_path, counting the ".s.PGSQL.5432" file name postgres appends.
const maxSocketPath = 90

// Cluster is a private PostgreSQL cluster under Dir, reachable only through a
// Unix socket (no TCP port), so it never clashes with other servers.
type Cluster struct {
	Dir    string // where the cluster lives: Home, or a managed folder (see DefaultManagedRoot)
	Home   string // the home's cluster folder, e.g. $RECON_HOME/pg; empty means Dir
	BinDir string // directory holding initdb, pg_ctl and postgres
	Port   int    // only names the socket file; no TCP listener is opened

	managedRoot  string
	noDurability bool
}

// ClusterOptions configure NewCluster.
type ClusterOptions struct {
	Dir         string // the home's cluster folder, e.g. $RECON_HOME/pg
	BinDir      string // empty: search /usr/lib/postgresql/*/bin, then PATH
	ManagedRoot string // empty: DefaultManagedRoot
	// NoDurability runs the server with fsync, synchronous_commit and
	// full_page_writes off, so dropping or cloning a database does not wait
	// on the disk. Only throwaway test clusters set it: a crash may then
	// corrupt the cluster, which a user's data must never risk.
	NoDurability bool
}

// NewCluster checks the options, finds where the cluster lives (see
// DefaultManagedRoot) and locates the server binaries.
func NewCluster(opts ClusterOptions) (*Cluster, error) {
	if opts.Dir == "" {
		return nil, errors.New("cluster directory is empty")
	}
	home, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("cluster directory %q: %w", opts.Dir, err)
	}
	root := opts.ManagedRoot
	if root == "" {
		root = DefaultManagedRoot
	}
	// Without a postgres user the server cannot run as root anyway; Start
	// says so, and until then the cluster is taken to live in the home.
	cred, _ := serverCredential()
	dir, err := locate(home, root, cred)
	if err != nil {
		return nil, err
	}
	bin := opts.BinDir
	if bin == "" {
		bin, err = FindBinaries()
		if err != nil {
			return nil, err
		}
	}
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		if _, err := os.Stat(filepath.Join(bin, name)); err != nil {
			return nil, fmt.Errorf("%w: %s missing in %s", ErrNoBinaries, name, bin)
		}
	}
	return &Cluster{Dir: dir, Home: home, BinDir: bin, Port: 5432, managedRoot: root, noDurability: opts.NoDurability}, nil
}

// FindBinaries returns the newest /usr/lib/postgresql/<version>/bin holding a
// server, or the directory of initdb found on PATH.
func FindBinaries() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", ErrNoBinaries
}

func versionOf(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}

// DataDir is where initdb writes the cluster.
func (c *Cluster) DataDir() string { return filepath.Join(c.Dir, "data") }

// LogFile receives the server's log.
func (c *Cluster) LogFile() string { return filepath.Join(c.Dir, "postgres.log") }

// SocketDir is the directory holding the server's Unix socket: the cluster
// folder itself, or a short /tmp folder derived from it when the path is too
// long for a socket address.
func (c *Cluster) SocketDir() string {
	dir := filepath.Join(c.Dir, "run")
	if len(dir)+len("/.s.PGSQL.")+len(strconv.Itoa(c.Port)) <= maxSocketPath {
		return dir
	}
	sum := sha256.Sum256([]byte(c.Dir))
	return filepath.Join(os.TempDir(), "recon-pg-"+hex.EncodeToString(sum[:6]))
}

// URL is the connection string for database db in this cluster.
func (c *Cluster) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@/%s?host=%s&port=%d&sslmode=disable", db, c.SocketDir(), c.Port)
}

// Initialized reports whether initdb has run.
func (c *Cluster) Initialized() bool {
	_, err := os.Stat(filepath.Join(c.DataDir(), "PG_VERSION"))
	return err == nil
}

// Status says whether the server answers on its socket.
func (c *Cluster) Status(ctx context.Context) (running bool, pid int) {
	pid = c.pidFromFile()
	if pid == 0 || !processAlive(pid) {
		return false, 0
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return false, pid
	}
	conn.Close(ctx)
	return true, pid
}

// Start initialises the cluster if needed, starts it unless it already runs,
// and creates the recon database. It reports whether it started a server.
func (c *Cluster) Start(ctx context.Context) (started bool, err error) {
	cred, err := serverCredential()
	if err != nil {
		return false, err
	}
	if err := c.settle(cred); err != nil {
		return false, err
	}
	if err := c.prepareDirs(cred); err != nil {
		return false, err
	}
	if !c.Initialized() {
		if err := c.initdb(ctx, cred); err != nil {
			return false, err
		}
	}
	if running, _ := c.Status(ctx); !running {
		c.removeStalePid()
		if err := c.startServer(ctx, cred); err != nil {
			return false, err
		}
		started = true
	}
	if err := c.ensureDatabase(ctx, DefaultDatabase); err != nil {
		return started, err
	}
	return started, nil
}

// Stop shuts the server down (fast mode). Stopping a stopped cluster is fine.
func (c *Cluster) Stop(ctx context.Context) error {
	if running, _ := c.Status(ctx); !running {
		c.removeStalePid()
		return nil
	}
	cred, err := serverCredential()
	if err != nil {
		return err
	}
	return c.run(ctx, cred, filepath.Join(c.BinDir, "pg_ctl"), "stop", "-D", c.DataDir(), "-m", "fast", "-w", "-t", "60")
}

// Remove stops the cluster and deletes it: its folder, and its record in the
// home when it lives outside the home. The rest of the home stays.
func (c *Cluster) Remove(ctx context.Context) error {
	if err := c.Stop(ctx); err != nil {
		return err
	}
	if err := os.RemoveAll(c.Dir); err != nil {
		return fmt.Errorf("remove cluster: %w", err)
	}
	if c.Relocated() {
		if err := os.Remove(c.LocationFile()); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove cluster location: %w", err)
		}
	}
	return nil
}

// ensureDatabase creates db in the running cluster if it does not exist.
func (c *Cluster) ensureDatabase(ctx context.Context, db string) error {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return fmt.Errorf("connect to local cluster: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", db).Scan(&exists); err != nil {
		return fmt.Errorf("look up database %s: %w", db, err)
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{db}.Sanitize()); err != nil {
		return fmt.Errorf("create database %s: %w", db, err)
	}
	return nil
}

// settle decides, before each start, where the cluster lives. The home is
// created first, since the umask may leave it closed to the server's user. A
// cluster kept outside the home gets its folder there and its record in the
// home.
func (c *Cluster) settle(cred *syscall.Credential) error {
	if c.Home == "" || c.managedRoot == "" {
		return nil // a Cluster built by hand lives in Dir
	}
	if err := os.MkdirAll(filepath.Dir(c.Home), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(c.Home), err)
	}
	dir, err := locate(c.Home, c.managedRoot, cred)
	if err != nil {
		return err
	}
	c.Dir = dir
	if !c.Relocated() {
		return nil
	}
	return c.prepareManaged(cred)
}

func (c *Cluster) prepareDirs(cred *syscall.Credential) error {
	// The folder above the cluster must stay reachable by the server's user.
	if err := os.MkdirAll(filepath.Dir(c.Dir), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(c.Dir), err)
	}
	for _, d := range []string{c.Dir, c.SocketDir()} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("create %s: %w", d, err)
		}
		if cred != nil {
			if err := os.Chown(d, int(cred.Uid), int(cred.Gid)); err != nil {
				return fmt.Errorf("hand %s to the postgres user: %w", d, err)
			}
		}
	}
	if cred != nil {
		// The server runs as another user: every parent must let it through.
		// Only a cluster created in the home before it was closed gets here.
		blocked, err := firstBlockedParent(c.Dir, cred)
		if err != nil {
			return err
		}
		if blocked != "" {
			fi, err := os.Stat(blocked)
			if err != nil {
				return fmt.Errorf("check %s: %w", blocked, err)
			}
			return fmt.Errorf("folder %s is not searchable by the postgres user (mode %v) and the cluster in %s was created there; use another --home",
				blocked, fi.Mode().Perm(), c.Dir)
		}
	}
	return nil
}

func (c *Cluster) initdb(ctx context.Context, cred *syscall.Credential) error {
	err := c.run(ctx, cred, filepath.Join(c.BinDir, "initdb"),
		"-D", c.DataDir(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
	if err != nil {
		return fmt.Errorf("initdb: %w", err)
	}
	return nil
}

func (c *Cluster) startServer(ctx context.Context, cred *syscall.Credential) error {
	durable, conns := "on", 100
	if c.noDurability {
		// Tests also run many databases side by side.
		durable, conns = "off", 300
	}
	opts := strings.Join([]string{
		"-c listen_addresses=''",
		"-k " + c.SocketDir(),
		"-p " + strconv.Itoa(c.Port),
		"-c fsync=" + durable,
		"-c synchronous_commit=" + durable,
		"-c full_page_writes=" + durable,
		"-c max_connections=" + strconv.Itoa(conns),
		// A scale-20 import writes about 1.8 GB of WAL: at the default 1 GB
		// it paid 3 checkpoints (and the full-page images after each), at
		// 4 GB none (docs/performance.md, issue 30). wal_compression saved
		// under 2 % and is left off.
		"-c max_wal_size=4GB",
	}, " ")
	err := c.run(ctx, cred, filepath.Join(c.BinDir, "pg_ctl"),
		"start", "-D", c.DataDir(), "-l", c.LogFile(), "-o", opts, "-w", "-t", "60", "-s")
	if err != nil {
		return fmt.Errorf("start postgres (log: %s): %w%s", c.LogFile(), err, c.logTail())
	}
	return nil
}

func (c *Cluster) logTail() string {
	b, err := os.ReadFile(c.LogFile())
	if err != nil || len(b) == 0 {
		return ""
	}
	if len(b) > 800 {
		b = b[len(b)-800:]
	}
	return "\n" + string(b)
}

// run executes a server binary as the postgres user when we are root, since
// PostgreSQL refuses to run as root.
func (c *Cluster) run(ctx context.Context, cred *syscall.Credential, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = c.Dir
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	// A new session keeps the server alive after recon exits and out of our
	// terminal's signals.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Credential: cred}
	cmd.Env = append(serverEnv(), "LC_ALL=C.UTF-8", "TZ=UTC")
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", filepath.Base(name), err, strings.TrimSpace(out.String()))
	}
	return nil
}

// serverEnv is our environment without the PG* client variables, which
// point at the user's own server and would confuse initdb and pg_ctl.
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return env
}

func (c *Cluster) pidFromFile() int {
	b, err := os.ReadFile(filepath.Join(c.DataDir(), "postmaster.pid"))
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	pid, _ := strconv.Atoi(strings.TrimSpace(line))
	return pid
}

// removeStalePid deletes a postmaster.pid whose process is gone, left by a
// crash or a reboot, so the server can start again.
func (c *Cluster) removeStalePid() {
	pid := c.pidFromFile()
	if pid == 0 {
		return
	}
	// After a reboot the old pid may belong to an unrelated process.
	if processAlive(pid) && isPostgres(pid) {
		return
	}
	os.Remove(filepath.Join(c.DataDir(), "postmaster.pid"))
}

func isPostgres(pid int) bool {
	comm, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "comm"))
	if err != nil {
		return true // cannot tell: leave the decision to postgres itself
	}
	return strings.HasPrefix(strings.TrimSpace(string(comm)), "postgres")
}

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// serverCredential returns the postgres user's ids when running as root, nil
// otherwise (the server then runs as the current user).
func serverCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root needs the postgres OS user to run the server (apt-get install postgresql creates it): %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}
