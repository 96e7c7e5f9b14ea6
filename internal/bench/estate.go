package bench

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

// MeasureEstate applies resources revocations, each by three clusters of
// an estate of devices devices listed in BIG-IQ 8's shape, at -parallelism
// parallelism, with the provider as built and as it was at baseline,
// interleaved, reps times each, in a fresh workspace each time: what
// checking each revocation against BIG-IQ before its POST and after its
// task costs, in full device listings (plan included), wall and CPU.
func MeasureEstate(ctx context.Context, tf *Terraform, baseline string, devices, resources, parallelism, reps int, taskDuration time.Duration) (Section, error) {
	sec := Section{Name: "estate", Title: "Revocations checked against a moving estate: the cost of the checks"}
	if clusters := devices / 4; 3*resources > clusters {
		return sec, fmt.Errorf("%d devices have %d clusters, fewer than the %d the revocations name", devices, clusters, 3*resources)
	}
	base, err := tf.providerAt(ctx, baseline)
	if err != nil {
		return sec, err
	}
	fixture := bigiqmock.GenerateFixture(devices, 0, 0, 1)
	fixture.DeviceShape = "8"
	s, err := startMock(bigiqmock.Options{Fixture: fixture, TaskDuration: taskDuration})
	if err != nil {
		return sec, err
	}
	defer s.Close()
	// GenerateFixture names the cluster of every fourth device pair
	// Cluster00000, Cluster00001, ...
	config := tfcli.RequiredProviders + fmt.Sprintf(`
resource "bigiq_oauth_token_revocation" "leaver" {
  count         = %d
  user_name     = format("leaver%%03d", count.index)
  cluster_names = [for c in range(3) : format("Cluster%%05d", 3 * count.index + c)]
}
`, resources)
	apply := func(provider string) (Run, int, error) {
		w, err := tf.Workspace(s, config)
		if err != nil {
			return Run{}, 0, err
		}
		before := s.Listings(bigiq.PathDevices)
		run, err := tf.runProvider(ctx, w, provider, nil, "apply", "-auto-approve", "-no-color", fmt.Sprintf("-parallelism=%d", parallelism))
		if err != nil {
			return run, 0, err
		}
		if !strings.Contains(run.Stdout, fmt.Sprintf("%d added", resources)) {
			return run, 0, fmt.Errorf("the apply in %s did not add %d revocations:\n%s", w.Dir, resources, lastChars(run.Stdout, 2000))
		}
		return run, s.Listings(bigiq.PathDevices) - before, nil
	}
	// One uncounted apply of each warms the caches; then the two
	// alternate, which goes first swapping each time, so drift in the
	// machine's load falls on both.
	var now, then Runs
	var listings, baseListings []float64
	for i := -1; i < reps; i++ {
		for _, current := range []bool{i%2 == 0, i%2 != 0} {
			provider := base
			if current {
				provider = tf.realProvider
			}
			run, n, err := apply(provider)
			if err != nil {
				return sec, err
			}
			if i < 0 {
				continue
			}
			if current {
				now, listings = append(now, run), append(listings, float64(n))
			} else {
				then, baseListings = append(then, run), append(baseListings, float64(n))
			}
		}
	}
	what := fmt.Sprintf("apply of %d revocations × 3 clusters, %d devices (BIG-IQ 8 shape), -parallelism=%d, %v tasks", resources, devices, parallelism, taskDuration)
	sec.addRuns(what+": checked before each POST and after each task", now)
	sec.addRuns(what+": "+baseline+", one listing per process", then)
	paired := func(f func(Run) float64) Stat {
		xs := make([]float64, len(now))
		for i := range now {
			xs[i] = f(now[i]) / f(then[i])
		}
		return statOf(xs)
	}
	count := func(s Stat) string { return fmt.Sprintf("%.0f (%.0f–%.0f)", s.Median, s.Min, s.Max) }
	ratioStat := func(s Stat) string { return fmt.Sprintf("%s (%s–%s)", times(s.Median), times(s.Min), times(s.Max)) }
	ls := statOf(listings)
	sec.add("full device listings, plan included", count(ls), "≤ 12", verdict(ls.Max <= 12))
	sec.add("full device listings at "+baseline, count(statOf(baseListings)), noTarget, noTarget)
	wall := paired(func(r Run) float64 { return r.Wall.Seconds() })
	sec.add("wall, checked / "+baseline+" (paired by repetition)", ratioStat(wall), "≤ 1.3×", verdict(wall.Median <= 1.3))
	sec.add("CPU, terraform + provider, checked / "+baseline, ratioStat(paired(func(r Run) float64 { return r.TotalCPU().Seconds() })), noTarget, noTarget)
	sec.add("provider CPU, checked / "+baseline, ratioStat(paired(func(r Run) float64 { return r.ProviderCPU.Seconds() })), noTarget, noTarget)
	return sec, nil
}
