package reconcile

// hashQueue hashes files on a goroutine of its own, so the export's
// attachments are read while the verifier goes on comparing rows. The
// zero value is ready; the goroutine starts with the first file.
type hashQueue struct {
	jobs chan hashJob
	done chan struct{}
	sums map[int64]string // written by the goroutine, read after wait
}

type hashJob struct {
	key  int64
	path string
}

// add queues a file; its SHA-256 is kept under key when it can be read.
func (q *hashQueue) add(key int64, path string) {
	if q.jobs == nil {
		q.jobs, q.done, q.sums = make(chan hashJob, 256), make(chan struct{}), map[int64]string{}
		go func() {
			defer close(q.done)
			var hs hasher
			for j := range q.jobs {
				if sum, err := hs.file(j.path); err == nil {
					q.sums[j.key] = sum
				}
			}
		}()
	}
	q.jobs <- hashJob{key, path}
}

// wait hashes what is queued and returns the sums by key; later calls
// return the same sums.
func (q *hashQueue) wait() map[int64]string {
	if q.jobs == nil {
		return map[int64]string{}
	}
	if q.done != nil {
		close(q.jobs)
		<-q.done
		q.done = nil
	}
	return q.sums
}
