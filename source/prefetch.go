package source

import (
	"errors"
	"io"
	"sync"
)

// prefetchBatch is how many records are handed over at once.
const prefetchBatch = 256

// Prefetcher reads a Reader's records ahead in its own goroutine, so that
// reading and normalising the next rows overlaps with what the caller does
// with the previous ones (the importer's COPY, the verifier's queries). Next
// returns exactly what Reader.Next would, in the same order. The Reader
// belongs to the Prefetcher until Close returns.
type Prefetcher struct {
	ch    chan []prefetched
	quit  chan struct{}
	done  chan struct{}
	once  sync.Once
	cur   []prefetched
	final error // io.EOF or the fatal error, once returned
}

type prefetched struct {
	rec Record
	err error
}

// fatal reports an error that ends the stream (io.EOF included); a
// *RowError comes with its record and the stream goes on.
func fatal(err error) bool {
	var rowErr *RowError
	return err != nil && !errors.As(err, &rowErr)
}

// Prefetch starts reading r ahead, up to about ahead records (at least
// one hand-over of prefetchBatch); memory holds at most ahead plus two
// hand-overs of records. Call Close before closing r.
func Prefetch(r *Reader, ahead int) *Prefetcher {
	depth := max(1, (ahead+prefetchBatch-1)/prefetchBatch)
	p := &Prefetcher{ch: make(chan []prefetched, depth), quit: make(chan struct{}), done: make(chan struct{})}
	go p.run(r)
	return p
}

func (p *Prefetcher) run(r *Reader) {
	defer close(p.done)
	batch := make([]prefetched, 0, prefetchBatch)
	for {
		rec, err := r.Next()
		batch = append(batch, prefetched{rec, err})
		end := fatal(err)
		if len(batch) == prefetchBatch || end {
			select {
			case p.ch <- batch:
			case <-p.quit:
				return
			}
			if end {
				return
			}
			batch = make([]prefetched, 0, prefetchBatch)
		}
	}
}

// Next returns the next record, like Reader.Next.
func (p *Prefetcher) Next() (Record, error) {
	for len(p.cur) == 0 {
		if p.final != nil {
			return Record{}, p.final
		}
		select {
		case b := <-p.ch:
			p.cur = b
		case <-p.done:
			// The reader stopped; take what it handed over before.
			select {
			case b := <-p.ch:
				p.cur = b
			default:
				p.final = io.ErrClosedPipe
			}
		}
	}
	it := p.cur[0]
	p.cur[0] = prefetched{}
	p.cur = p.cur[1:]
	if fatal(it.err) {
		p.final = it.err
	}
	return it.rec, it.err
}

// Close stops the read-ahead and waits for its goroutine; it is safe to
// call more than once.
func (p *Prefetcher) Close() {
	p.once.Do(func() { close(p.quit) })
	<-p.done
}
