package database

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A failed start quotes the end of the server's log, where postgres says
// why; an empty or missing log adds nothing.
func TestLogTail(t *testing.T) {
	c := &Cluster{Dir: t.TempDir()}
	if got := c.logTail(); got != "" {
		t.Errorf("no log: tail %q", got)
	}
	long := strings.Repeat("x", 900) + "FATAL:  could not bind IPv4 address"
	if err := os.WriteFile(c.LogFile(), []byte(long), 0o644); err != nil {
		t.Fatal(err)
	}
	got := c.logTail()
	if len(got) != 801 || !strings.HasPrefix(got, "\n") || !strings.HasSuffix(got, "FATAL:  could not bind IPv4 address") {
		t.Errorf("tail of %d bytes %q…, want a newline and the last 800 bytes", len(got), got[:min(len(got), 20)])
	}
	if err := os.WriteFile(c.LogFile(), []byte("LOG:  ready\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := c.logTail(); got != "\nLOG:  ready\n" {
		t.Errorf("short log: tail %q", got)
	}
}

// A postmaster.pid left by a crash is removed when its process is gone or
// is not a postgres (the pid was reused after a reboot), so the server can
// start; an unreadable pid file is left alone.
func TestRemoveStalePid(t *testing.T) {
	tests := []struct {
		name   string
		pid    string
		remove bool
	}{
		{"process gone", "2147483646", true},
		{"pid reused by another program", strconv.Itoa(os.Getpid()), true},
		{"not a pid", "garbage", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Cluster{Dir: t.TempDir()}
			pidFile := filepath.Join(c.DataDir(), "postmaster.pid")
			if err := os.MkdirAll(c.DataDir(), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(pidFile, []byte(tt.pid+"\n/data\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			c.removeStalePid()
			_, err := os.Stat(pidFile)
			if removed := os.IsNotExist(err); removed != tt.remove {
				t.Errorf("pid file removed = %v, want %v", removed, tt.remove)
			}
		})
	}
	if !isPostgres(2147483646) {
		t.Error("a process whose name cannot be read is not left to postgres to judge")
	}
	if isPostgres(os.Getpid()) {
		t.Error("the test binary is taken for a postgres")
	}
}

// A Cluster built by hand (no home) lives where its Dir says: settling
// moves nothing.
func TestSettleHandBuiltCluster(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pg")
	c := &Cluster{Dir: dir}
	if err := c.settle(nil); err != nil || c.Dir != dir {
		t.Errorf("settle: %v, Dir %s; want nil and %s", err, c.Dir, dir)
	}
}
