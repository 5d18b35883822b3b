package reconcile

import "math/rand/v2"

// newRand gives each type its own stream of the run's seed.
func newRand(seed, stream uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, stream)) }

// reservoir keeps a uniform sample of k rows from a stream.
type reservoir struct {
	k     int
	seen  int
	rng   *rand.Rand
	items []Sample
}

func (r *reservoir) offer(typ, id string, checks []FieldCheck) {
	r.seen++
	slot := len(r.items)
	if slot >= r.k {
		slot = r.rng.IntN(r.seen)
		if slot >= r.k {
			return
		}
	}
	s := Sample{Type: typ, SourceID: id, Match: true, Fields: make([]SampleField, 0, len(checks))}
	for _, c := range checks {
		match := c.Match || c.Explained || c.Corrected
		s.Fields = append(s.Fields, SampleField{Field: c.Field, Raw: c.Raw, Normalised: c.Normalised, Destination: c.Destination, Match: match})
		if !match {
			s.Match = false
		}
	}
	if slot == len(r.items) {
		r.items = append(r.items, s)
	} else {
		r.items[slot] = s
	}
}
