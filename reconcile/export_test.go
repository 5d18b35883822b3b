package reconcile

// SequentialTableChecks makes Verify read each type's table check in line,
// as it does on a pool without a connection to spare.
func SequentialTableChecks(o Options) Options {
	o.Reads = ReadsStreamed
	return o
}
