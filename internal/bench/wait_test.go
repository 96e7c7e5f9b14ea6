package bench

import (
	"context"
	"testing"
	"time"
)

// BenchmarkWaitForTask reports how long after a task finishes WaitForTask
// notices, and how often it polls, for short, typical and long tasks:
//
//	go test -run '^$' -bench WaitForTask -benchtime 1x ./internal/bench/
//
// Each iteration follows 5 tasks at once.
func BenchmarkWaitForTask(b *testing.B) {
	for _, d := range []time.Duration{200 * time.Millisecond, 2 * time.Second, 20 * time.Second} {
		b.Run("task="+d.String(), func(b *testing.B) {
			var sum WaitResult
			for b.Loop() {
				res, err := MeasureWait(context.Background(), d, 5)
				if err != nil {
					b.Fatal(err)
				}
				sum.MedianLag += res.MedianLag
				sum.MaxLag = max(sum.MaxLag, res.MaxLag)
				sum.PollsPerTask += res.PollsPerTask
			}
			b.ReportMetric(float64(sum.MedianLag.Milliseconds())/float64(b.N), "lag-median-ms")
			b.ReportMetric(float64(sum.MaxLag.Milliseconds()), "lag-max-ms")
			b.ReportMetric(sum.PollsPerTask/float64(b.N), "polls/task")
		})
	}
}
