package importer

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// LockKey is the session-level advisory lock every import and rollback holds
// on the destination database ("recon" + 2; store's migration lock is "recon").
// Advisory locks are scoped to the current database, so one key serves every
// destination.
const LockKey int64 = 0x7265636f6e02

// InterruptedReason is the notes of a batch whose process died;
// InterruptedDBClosedReason of one whose database shut down (or restarted)
// while it ran: its process may well have ended normally, reporting the
// lost connection, but could not mark the batch.
const (
	InterruptedReason         = "interrupted (process died)"
	InterruptedDBClosedReason = "interrupted (the database shut down)"
)

// A killed client's backend may still be finishing its statement: wait
// deadHolderGrace for the server to notice, then end the session ourselves
// (a client host that rebooted leaves its session until TCP keepalive gives
// up, hours later), and give up after deadHolderLimit.
const (
	deadHolderGrace = 5 * time.Second
	deadHolderLimit = 30 * time.Second
)

// LockOptions describe who takes the lock and whether to wait for it.
type LockOptions struct {
	Command  string // import or rollback, shown to whoever waits
	Operator string
	Wait     bool // block until the lock is free instead of failing fast
}

// LockHolder describes the process holding the lock.
type LockHolder struct {
	BackendPID int       `json:"backend_pid"`
	ClientPID  int       `json:"client_pid"` // 0 when unknown
	Host       string    `json:"host"`
	Command    string    `json:"command"`
	Operator   string    `json:"operator"`
	BatchID    int64     `json:"batch_id"` // 0 when unknown
	Since      time.Time `json:"since"`
	pidNS      string
}

// BusyError is returned when another import or rollback holds the lock.
type BusyError struct {
	Holder LockHolder
}

func (e *BusyError) Error() string {
	h := e.Holder
	batch := "unknown batch"
	if h.BatchID != 0 {
		batch = fmt.Sprintf("batch %d", h.BatchID)
	}
	pid := "unknown pid"
	if h.ClientPID != 0 {
		pid = fmt.Sprintf("pid %d on %s", h.ClientPID, h.Host)
	}
	return fmt.Sprintf("another import, rollback or verification is running (%s, %s, %s since %s); wait for it or use --wait",
		batch, pid, h.Command, h.Since.Format(time.DateTime))
}

// deadHere tells a holder whose process is gone from this machine; a
// holder elsewhere, or in another PID namespace, cannot be checked.
func (h LockHolder) deadHere() bool {
	if h.ClientPID == 0 {
		return false
	}
	host, _ := os.Hostname()
	return h.Host == host && h.pidNS == pidNamespace() && !processAlive(h.ClientPID)
}

// pidNamespace identifies this process's PID namespace (Linux), so two
// containers with the same host name do not judge each other's pids.
func pidNamespace() string {
	ns, _ := os.Readlink("/proc/self/ns/pid")
	return ns
}

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
