package bench

import (
	"context"
	"testing"
	"time"
)

// BenchmarkActionLag reports how long after a task finishes an invoked
// bigiq_revoke_oauth_tokens action completes, through the plugin protocol
// in process:
//
//	go test -run '^$' -bench ActionLag -benchtime 1x ./internal/bench/
//
// Each iteration invokes the action 5 times at once.
func BenchmarkActionLag(b *testing.B) {
	for _, d := range []time.Duration{200 * time.Millisecond, 2 * time.Second, 20 * time.Second} {
		b.Run("task="+d.String(), func(b *testing.B) {
			var sum ActionLagResult
			for b.Loop() {
				res, err := MeasureActionLag(context.Background(), d, 5)
				if err != nil {
					b.Fatal(err)
				}
				sum.MedianLag += res.MedianLag
				sum.MaxLag = max(sum.MaxLag, res.MaxLag)
				sum.ProgressEvents += res.ProgressEvents
			}
			b.ReportMetric(float64(sum.MedianLag.Milliseconds())/float64(b.N), "lag-median-ms")
			b.ReportMetric(float64(sum.MaxLag.Milliseconds()), "lag-max-ms")
			b.ReportMetric(float64(sum.ProgressEvents)/float64(b.N), "progress-events")
		})
	}
}
