package bench

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// WaitResult is how WaitForTask followed tasks of one duration.
type WaitResult struct {
	TaskDuration time.Duration
	Tasks        int
	// Lag runs from the instant the mock's task reached FINISHED to
	// WaitForTask returning.
	MedianLag, MaxLag time.Duration
	PollsPerTask      float64
	// FinalPollInterval is the median gap between polls in the last third
	// of the task: the rate the schedule has settled on. On a task long
	// enough for the schedule to reach its cap it is the steady state.
	FinalPollInterval time.Duration
}

// MeasureWait starts tasks revocations at once on a mock whose tasks take
// taskDuration, follows each with WaitForTask, and measures the lag and the
// polls from the mock's own records.
func MeasureWait(ctx context.Context, taskDuration time.Duration, tasks int) (WaitResult, error) {
	s, err := startMock(bigiqmock.Options{TaskDuration: taskDuration})
	if err != nil {
		return WaitResult{}, err
	}
	defer s.Close()
	client, err := newClient(s)
	if err != nil {
		return WaitResult{}, err
	}
	users := seedLeavers(s.Mock, tasks)

	ids := make([]string, tasks)
	returned := make([]time.Time, tasks)
	errs := make([]error, tasks)
	var wg sync.WaitGroup
	for i, user := range users {
		wg.Go(func() {
			task, err := client.StartRevokeTask(ctx, bigiq.RevokeRequest{
				Action: bigiq.ActionRevokeForUser, UserName: user, ClusterNames: []string{blueCluster},
			})
			if err != nil {
				errs[i] = err
				return
			}
			ids[i] = task.ID
			_, errs[i] = client.WaitForTask(ctx, task.ID)
			returned[i] = time.Now()
		})
	}
	wg.Wait()

	res := WaitResult{TaskDuration: taskDuration, Tasks: tasks}
	var lags, finalGaps []time.Duration
	polls := 0
	for i, id := range ids {
		if errs[i] != nil {
			return res, fmt.Errorf("revocation %d: %w", i, errs[i])
		}
		end, err := taskEnd(s.Mock, id)
		if err != nil {
			return res, err
		}
		lags = append(lags, returned[i].Sub(end))
		times := taskPollTimes(s.Mock, id)
		polls += len(times)
		finalGaps = append(finalGaps, gapsAfter(times, end.Add(-taskDuration/3))...)
	}
	res.MedianLag, res.MaxLag = median(lags), slices.Max(lags)
	res.PollsPerTask = float64(polls) / float64(tasks)
	res.FinalPollInterval = median(finalGaps)
	return res, nil
}

// gapsAfter returns the intervals between consecutive times from the first
// one at or after from.
func gapsAfter(times []time.Time, from time.Time) []time.Duration {
	var gaps []time.Duration
	for i := 1; i < len(times); i++ {
		if !times[i-1].Before(from) {
			gaps = append(gaps, times[i].Sub(times[i-1]))
		}
	}
	return gaps
}

// WaitSection lays out the wait figures: each duration's lag and polls,
// and the steady state's poll interval.
func WaitSection(results []WaitResult, steady WaitResult) Section {
	sec := Section{Name: "wait", Title: "Wait: how soon a finished task is noticed"}
	for _, w := range results {
		allowed := max(w.TaskDuration/10, 250*time.Millisecond)
		sec.add(fmt.Sprintf("%v tasks (%d at once): lag after FINISHED, median / max", w.TaskDuration, w.Tasks),
			fmt.Sprintf("%s / %s", ms(w.MedianLag), ms(w.MaxLag)),
			"median ≤ "+ms(allowed), verdict(w.MedianLag <= allowed))
		sec.add(fmt.Sprintf("%v tasks: polls per task", w.TaskDuration),
			fmt.Sprintf("%.1f", w.PollsPerTask), noTarget, noTarget)
	}
	sec.add(fmt.Sprintf("Steady state (a %v task): interval between polls in its last third", steady.TaskDuration),
		secs(steady.FinalPollInterval), "≥ 5 s (≤ 1 poll per 5 s)", verdict(steady.FinalPollInterval >= 5*time.Second))
	return sec
}
