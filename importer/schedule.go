package importer

import (
	"cmp"
	"context"
	"slices"

	"github.com/petfriendly/recon/source"
)

// waitsFor lists, for each planned file, the earlier files that must have
// completed before it starts: the files of its own type (a split export's
// files build on each other's mappings and re-import comparisons) and the
// files of every type it depends on, directly or through another type (a
// missing middle type must not let a grandchild start before its
// grandparent). Files of unrelated types wait for nothing of each other,
// so they load at the same time on separate connections.
func waitsFor(plan []plannedFile) [][]int {
	// Keyed by source type ("client"), the names DependsOn uses.
	deps := map[string]map[string]bool{}
	var closure func(sourceType string) map[string]bool
	closure = func(sourceType string) map[string]bool {
		if d, ok := deps[sourceType]; ok {
			return d
		}
		d := map[string]bool{}
		deps[sourceType] = d // a cycle, which the type table never has, stops here
		t, ok := source.TypeByName(sourceType)
		if !ok {
			return d
		}
		for _, parent := range t.DependsOn {
			d[parent] = true
			for grand := range closure(parent) {
				d[grand] = true
			}
		}
		return d
	}
	waits := make([][]int, len(plan))
	for i, p := range plan {
		need := closure(p.typ.SourceType)
		for j := range i {
			if q := plan[j].typ.SourceType; q == p.typ.SourceType || need[q] {
				waits[i] = append(waits[i], j)
			}
		}
	}
	return waits
}

// File states while a plan runs.
const (
	filePending = iota
	fileRunning
	fileDone
	fileFailed
)

// chainSizes is, for each planned file, its size plus the largest chain
// size of the files that wait for it: how much work at most still depends
// on starting it. Waits point to earlier files, so one backward pass does.
func chainSizes(plan []plannedFile, waits [][]int) []int64 {
	chain := make([]int64, len(plan))
	for i := len(plan) - 1; i >= 0; i-- {
		chain[i] += plan[i].size
		for _, j := range waits[i] {
			chain[j] = max(chain[j], chain[i])
		}
	}
	return chain
}

// startOrder lists the files by chain size, largest first (plan order
// among equals): of the files ready at once, the one the most work waits
// behind starts first, so the last files do not run alone at the end.
func startOrder(chain []int64) []int {
	order := make([]int, len(chain))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(chain[b], chain[a]) })
	return order
}

// concurrentBytes caps the weight (see weights) of the files loading at
// once; a file alone always starts. A batch holds maps of its file's ids
// and of the ids of the types it refers to, so its memory grows with those
// files. Measured with two files at once under the 250 MiB soft limit: at
// scale 20 (pairs up to 79 MB) peak RSS 257 MB and no more CPU than one at
// a time; at scale 50 (records 105 MB beside items 94 MB) 353 MB and six
// times the CPU, the collector never resting.
const concurrentBytes = 100 << 20

// weights is, for each planned file, its size plus the sizes of the files
// of the types it refers to (the id maps it loads).
func weights(plan []plannedFile) []int64 {
	w := make([]int64, len(plan))
	for i, p := range plan {
		w[i] = p.size
		for _, q := range plan {
			if slices.Contains(p.typ.DependsOn, q.typ.SourceType) {
				w[i] += q.size
			}
		}
	}
	return w
}

// nextToStart returns the pending files whose waits have all completed, at
// most free of them, taken in the given order, while their weights and
// those of the running files stay within budget (a file starts whatever its
// weight when none runs; the first ready file that does not fit stops the
// list). Nothing starts once a file has failed:
// later types depend on earlier ones, and the operator fixes the failure
// before going on.
func nextToStart(states []int, waits [][]int, order []int, free int, weight []int64, budget int64) []int {
	if slices.Contains(states, fileFailed) {
		return nil
	}
	var load int64
	running := 0
	for i, s := range states {
		if s == fileRunning {
			load += weight[i]
			running++
		}
	}
	var start []int
	for _, i := range order {
		if len(start) == free {
			break
		}
		if states[i] != filePending {
			continue
		}
		ready := true
		for _, j := range waits[i] {
			if states[j] != fileDone {
				ready = false
				break
			}
		}
		if !ready {
			continue
		}
		if running+len(start) > 0 && load+weight[i] > budget {
			// It waits for room, and nothing behind it overtakes it, or a
			// stream of small files could keep the heaviest one waiting.
			break
		}
		start = append(start, i)
		load += weight[i]
	}
	return start
}

// planOutcome is one planned file's summary and error once it has run.
type planOutcome struct {
	sum     Summary
	err     error
	started bool
}

// runPlan imports the planned files, at most jobs at once, each after the
// files it waits for. It returns the outcome of every file in plan order
// (started false for a file never started because one failed first).
func (im *Importer) runPlan(ctx context.Context, lock *Lock, plan []plannedFile, jobs int) []planOutcome {
	out := make([]planOutcome, len(plan))
	states := make([]int, len(plan))
	waits := waitsFor(plan)
	order := startOrder(chainSizes(plan, waits))
	weight := weights(plan)
	if jobs == 1 {
		// One at a time the order changes nothing but the batch numbers:
		// keep the type table's.
		order = startOrder(make([]int64, len(plan)))
	}
	finished := make(chan int)
	running := 0
	for {
		for _, i := range nextToStart(states, waits, order, jobs-running, weight, concurrentBytes) {
			out[i].started = true
			b, sum, err := im.startBatch(ctx, lock, plan[i].typ, plan[i].path)
			if err != nil {
				out[i].sum, out[i].err = sum, err
				states[i] = fileFailed
				break
			}
			states[i] = fileRunning
			running++
			go func(i int) {
				out[i].sum, out[i].err = im.runStarted(ctx, b, sum)
				finished <- i
			}(i)
		}
		if running == 0 {
			return out
		}
		i := <-finished
		running--
		states[i] = fileDone
		if out[i].err != nil {
			states[i] = fileFailed
		}
	}
}
