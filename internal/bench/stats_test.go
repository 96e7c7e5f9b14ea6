package bench

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestStatOfIsATrueMedian(t *testing.T) {
	for _, c := range []struct {
		xs                   []float64
		median, lowest, high float64
	}{
		{[]float64{3, 1, 2}, 2, 1, 3},
		{[]float64{4, 1, 3, 2}, 2.5, 1, 4}, // the mean of the middle two
		{[]float64{5}, 5, 5, 5},
	} {
		s := statOf(c.xs)
		if s.Median != c.median || s.Min != c.lowest || s.Max != c.high || s.N != len(c.xs) {
			t.Errorf("statOf(%v) = %+v, want median %v, min %v, max %v", c.xs, s, c.median, c.lowest, c.high)
		}
	}
}

// TestAttributeTakesTheProvidersOutOfTerraform: terraform's wait4 rusage
// includes the wrappers and providers it reaped; attribute must leave
// terraform only its own CPU, and say when its peak is only a bound.
func TestAttributeTakesTheProvidersOutOfTerraform(t *testing.T) {
	dir := t.TempDir()
	for i, r := range []providerReport{
		{UserNs: 300e6, SysNs: 100e6, MaxRSSKiB: 50 << 10, SelfUserNs: 1e6, SelfSysNs: 1e6},
		{UserNs: 20e6, SysNs: 0, MaxRSSKiB: 20 << 10, SelfUserNs: 1e6, SelfSysNs: 0},
	} {
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "provider-"+string(rune('1'+i))+".json"), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ru := &syscall.Rusage{Utime: syscall.Timeval{Sec: 1}, Stime: syscall.Timeval{Usec: 0}, Maxrss: 80 << 10}
	u, err := attribute(ru, dir)
	if err != nil {
		t.Fatal(err)
	}
	if u.Providers != 2 || u.ProviderCPU != 420*time.Millisecond || u.ProviderPeak != 50<<20 {
		t.Errorf("providers: %+v", u)
	}
	// 1 s - 420 ms of providers - 3 ms of wrappers.
	if u.TerraformCPU != 577*time.Millisecond {
		t.Errorf("terraform CPU %v, want 577ms", u.TerraformCPU)
	}
	if u.TerraformPeak != 80<<20 || !u.TerraformPeakExact {
		t.Errorf("terraform peak %d exact %v, want 80 MiB exactly (above every provider's)", u.TerraformPeak, u.TerraformPeakExact)
	}

	ru.Maxrss = 50 << 10 // no larger than the largest provider's: only a bound
	if u, _ := attribute(ru, dir); u.TerraformPeakExact {
		t.Error("terraform's peak equal to a provider's was reported as exact")
	}
}

func TestUpdateMarkdownKeepsTheSectionsNotMeasured(t *testing.T) {
	first := UpdateMarkdown("", map[string]string{"inventory": "## Inventory\n\nold inventory\n", "script": "## Script\n\nold script\n"})
	second := UpdateMarkdown(first, map[string]string{"inventory": "## Inventory\n\nnew inventory\n"})
	if !strings.Contains(second, "new inventory") || strings.Contains(second, "old inventory") {
		t.Errorf("the inventory section was not replaced:\n%s", second)
	}
	if !strings.Contains(second, "old script") {
		t.Errorf("the script section was lost:\n%s", second)
	}
	if !strings.Contains(second, "-only memory") {
		t.Errorf("a section never measured does not say how to measure it:\n%s", second)
	}
	if UpdateMarkdown(second, nil) != second {
		t.Error("rewriting with no sections changed the file")
	}
}
