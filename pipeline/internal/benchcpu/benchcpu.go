// Package benchcpu reports the CPU time a benchmark's loop took, user and
// system, across all its goroutines and the garbage collector's: on a
// machine shared with others, ns/op measures the wait for a core as much
// as the work, and the CPU time per operation is the figure to compare.
package benchcpu

import (
	"testing"
	"time"
)

// Start returns a function to call after b's loop, which reports the CPU
// time the process spent since Start, per iteration, as "cpu-ns/op". Where
// the process's CPU time cannot be read, it reports nothing.
func Start(b *testing.B) func() {
	b.Helper()
	start, ok := processCPU()
	return func() {
		end, ok2 := processCPU()
		if ok && ok2 && b.N > 0 {
			b.ReportMetric(float64((end-start)/time.Duration(b.N)), "cpu-ns/op")
		}
	}
}
