package bench

import (
	"fmt"
	"slices"
	"time"
)

// Stat is the median of repeated measurements with their range.
type Stat struct {
	Median, Min, Max float64
	N                int
}

// statOf summarises xs with a true median: the mean of the middle two for
// an even count.
func statOf(xs []float64) Stat {
	if len(xs) == 0 {
		return Stat{}
	}
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	med := s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return Stat{Median: med, Min: s[0], Max: s[n-1], N: n}
}

func durStat(ds []time.Duration) Stat {
	xs := make([]float64, len(ds))
	for i, d := range ds {
		xs[i] = d.Seconds()
	}
	return statOf(xs)
}

// median of durations, a true median as in statOf.
func median(ds []time.Duration) time.Duration {
	return time.Duration(durStat(ds).Median * float64(time.Second))
}

// Runs are repetitions of one terraform command.
type Runs []Run

// Stat summarises one figure of every run.
func (rs Runs) Stat(f func(Run) float64) Stat {
	xs := make([]float64, len(rs))
	for i, r := range rs {
		xs[i] = f(r)
	}
	return statOf(xs)
}

func (rs Runs) Wall() Stat     { return rs.Stat(func(r Run) float64 { return r.Wall.Seconds() }) }
func (rs Runs) TotalCPU() Stat { return rs.Stat(func(r Run) float64 { return r.TotalCPU().Seconds() }) }
func (rs Runs) TerraformCPU() Stat {
	return rs.Stat(func(r Run) float64 { return r.TerraformCPU.Seconds() })
}
func (rs Runs) ProviderCPU() Stat {
	return rs.Stat(func(r Run) float64 { return r.ProviderCPU.Seconds() })
}
func (rs Runs) MockCPU() Stat { return rs.Stat(func(r Run) float64 { return r.MockCPU.Seconds() }) }

// ProviderPeakMiB is the largest provider's peak resident set, in MiB.
func (rs Runs) ProviderPeakMiB() Stat {
	return rs.Stat(func(r Run) float64 { return float64(r.ProviderPeak) / (1 << 20) })
}

// TerraformPeak is terraform's peak resident set in MiB, and whether every
// run measured it exactly rather than bounded it (see Usage).
func (rs Runs) TerraformPeak() (Stat, bool) {
	exact := true
	for _, r := range rs {
		exact = exact && r.TerraformPeakExact
	}
	return rs.Stat(func(r Run) float64 { return float64(r.TerraformPeak) / (1 << 20) }), exact
}

// secsStat is "1.23 s (1.10–1.40)": the median, then the range.
func secsStat(s Stat) string {
	if s.N == 1 {
		return fmt.Sprintf("%.2f s", s.Median)
	}
	return fmt.Sprintf("%.2f s (%.2f–%.2f)", s.Median, s.Min, s.Max)
}

func mibStat(s Stat) string {
	if s.N == 1 {
		return fmt.Sprintf("%.0f MiB", s.Median)
	}
	return fmt.Sprintf("%.0f MiB (%.0f–%.0f)", s.Median, s.Min, s.Max)
}

// ratio is a/b of two medians, "2.41×".
func ratio(a, b Stat) float64 { return a.Median / b.Median }

func times(x float64) string { return fmt.Sprintf("%.2f×", x) }

// quotient writes a over b in seconds, with their ratio.
func quotient(a, b Stat) string {
	return fmt.Sprintf("%.2f s / %.2f s = %s", a.Median, b.Median, times(ratio(a, b)))
}
