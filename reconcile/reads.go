package reconcile

import "fmt"

// Reads is how verify reads the destination. Every way finds the same
// (TestVerifySameResultWhateverTheReadPath); they differ in connections
// and time.
type Reads int

const (
	// ReadsAuto (the default) is the most the connection allows, chosen
	// once when the run starts: ReadsAhead from a pool of readsAheadConns
	// connections, ReadsStreamed from readsStreamedConns, else ReadsLookups.
	ReadsAuto Reads = iota
	// ReadsLookups looks every source id up and reads the checks after the
	// types in line: any connection will do.
	ReadsLookups
	// ReadsStreamed reads each type's mappings and rows as two ordered
	// streams beside the verifier's own queries (a pool of 4).
	ReadsStreamed
	// ReadsAhead is ReadsStreamed, and reads what the checks after the
	// types need on a connection of its own while the types are compared
	// (a pool of 5: one more for the import lock the caller holds).
	ReadsAhead
)

// The pool sizes the ways of reading need.
const (
	readsStreamedConns = 4
	readsAheadConns    = 5
)

func (r Reads) String() string {
	switch r {
	case ReadsAuto:
		return "auto"
	case ReadsLookups:
		return "lookups"
	case ReadsStreamed:
		return "streamed"
	case ReadsAhead:
		return "ahead"
	}
	return fmt.Sprintf("Reads(%d)", int(r))
}

// resolve turns ReadsAuto into a way of reading and checks that a pool of
// conns connections (0: not a pool) can read the way asked.
func (r Reads) resolve(conns int) (Reads, error) {
	need := 0
	switch r {
	case ReadsAuto:
		switch {
		case conns >= readsAheadConns:
			return ReadsAhead, nil
		case conns >= readsStreamedConns:
			return ReadsStreamed, nil
		}
		return ReadsLookups, nil
	case ReadsLookups:
		return r, nil
	case ReadsStreamed:
		need = readsStreamedConns
	case ReadsAhead:
		need = readsAheadConns
	default:
		return r, fmt.Errorf("unknown way of reading %d", int(r))
	}
	if conns < need {
		return r, fmt.Errorf("reading %s needs a pool of %d connections, not %d", r, need, conns)
	}
	return r, nil
}

// MaxJobs bounds Options.Jobs.
const MaxJobs = 16

// AheadConns is the pool ReadsAhead needs to verify jobs types at once.
func AheadConns(jobs int) int {
	return readsAheadConns + (max(jobs, 1)-1)*(readsAheadConns-2)
}

// resolveJobs checks the types verified at once against the pool: each
// needs its streams and a connection for its queries, besides the import
// lock the caller holds and the tail read ahead; a bare connection runs
// one type at a time. 0 asks for one per core, as many as fit.
func resolveJobs(jobs int, r Reads, conns, cores int) (int, error) {
	if jobs < 0 || jobs > MaxJobs {
		return jobs, fmt.Errorf("jobs %d out of range 0..%d", jobs, MaxJobs)
	}
	fit := 1
	if conns > 0 {
		perType, reserved := 1, 1
		switch r {
		case ReadsStreamed:
			perType = readsStreamedConns - 1
		case ReadsAhead:
			perType, reserved = readsAheadConns-2, 2
		}
		fit = max((conns-reserved)/perType, 1)
	}
	if jobs == 0 {
		return max(min(cores, fit), 1), nil
	}
	if jobs > fit {
		return jobs, fmt.Errorf("%d types at once reading %s need a pool of more than %d connections", jobs, r, conns)
	}
	return jobs, nil
}
