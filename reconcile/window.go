package reconcile

import (
	"context"
	"fmt"

	"github.com/petfriendly/recon/source"
)

// destWindow matches source rows with destination rows read as one ordered
// stream instead of one index probe per id. It keeps a bounded window of
// streamed rows keyed by source id; a source row whose destination is not
// in the window (no mapping, or too far from where the file order says it
// should be) is looked up by id, so the result never depends on the order.
type destWindow struct {
	stream    *destStream
	done      bool
	byID      map[string]Dest
	fifo      []string // window ids, oldest first (a ring from head)
	head      int
	read      int // rows taken from the stream
	sourced   int // source rows matched so far, across the type's files
	lookahead int // how far the stream may run ahead of the source rows seen
	capacity  int // rows kept in the window
}

func newDestWindow(ctx context.Context, db Querier, t source.Type, chunk int) (*destWindow, error) {
	s, err := openDestStream(ctx, db, t)
	if err != nil {
		return nil, err
	}
	return &destWindow{stream: s, byID: make(map[string]Dest, 4*chunk), lookahead: 2 * chunk, capacity: 4 * chunk}, nil
}

func (w *destWindow) close() {
	if w != nil && w.stream != nil {
		w.stream.close()
	}
}

// match returns the destination rows of the chunk's ids found in the window
// and the ids to look up one by one.
func (w *destWindow) match(t source.Type, chunk []source.Record) (map[string]Dest, []string, error) {
	if w == nil { // no streaming: every id is looked up
		ids := make([]string, 0, len(chunk))
		for _, rec := range chunk {
			if rec.SourceID != "" {
				ids = append(ids, rec.SourceID)
			}
		}
		return map[string]Dest{}, uniqueIDs(ids), nil
	}
	w.sourced += len(chunk)
	seen := w.sourced
	out := make(map[string]Dest, len(chunk))
	want := map[string]struct{}{}
	for _, rec := range chunk {
		if _, ok := w.byID[rec.SourceID]; !ok && rec.SourceID != "" {
			want[rec.SourceID] = struct{}{}
		}
	}
	for len(want) > 0 && !w.done && w.read < seen+w.lookahead {
		d, ok, err := w.stream.next()
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", t.Table, err)
		}
		if !ok {
			w.done = true
			break
		}
		w.read++
		w.add(d)
		delete(want, d.SourceID)
	}
	var probe []string
	for _, rec := range chunk {
		if d, ok := w.byID[rec.SourceID]; ok {
			out[rec.SourceID] = d
		} else if rec.SourceID != "" {
			probe = append(probe, rec.SourceID)
		}
	}
	return out, uniqueIDs(probe), nil
}

// tableCheck reads the rest of the type's streams and returns its table
// check (see tableAccount).
func (w *destWindow) tableCheck(ctx context.Context, db Querier, t source.Type, ao accountOptions) (tableCheck, error) {
	a, err := w.stream.drain()
	if err != nil {
		return tableCheck{}, fmt.Errorf("account for %s: %w", t.Table, err)
	}
	w.done = true
	return streamedTableCheck(ctx, db, t, a, ao)
}

func (w *destWindow) add(d Dest) {
	if len(w.byID) >= w.capacity {
		oldest := w.fifo[w.head]
		delete(w.byID, oldest)
		w.fifo[w.head] = d.SourceID
		w.head = (w.head + 1) % len(w.fifo)
	} else {
		w.fifo = append(w.fifo, d.SourceID)
	}
	w.byID[d.SourceID] = d
}
