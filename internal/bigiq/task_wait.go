package bigiq

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Following a revoke-tokens task until BIG-IQ says it is done.

// The poll schedule. A task is first read after firstPoll; after that the
// interval is a tenth of the time waited so far, kept between minPoll and
// maxPoll. The lag between a task finishing and the wait noticing is then
// at most about a tenth of the task's duration (or minPoll for short ones),
// and a long task is read once per maxPoll.
const (
	firstPoll = 100 * time.Millisecond
	minPoll   = 200 * time.Millisecond
	maxPoll   = 5 * time.Second
)

func pollInterval(waited time.Duration) time.Duration {
	return min(max(waited/10, minPoll), maxPoll)
}

// WaitForTask polls the task until it is terminal and returns its last
// state. The error is nil when it FINISHED with result COMPLETE, a
// *TaskError when it failed or was cancelled, and a *WaitError when ctx
// ended first or BIG-IQ gave an answer that will not change by waiting
// (the task is gone, the credentials were refused for good, the
// certificate does not verify). Transient failures to read the
// task (connection errors, 5xx) are logged and polling goes on until ctx
// ends, so a BIG-IQ that restarts mid-task does not fail the wait.
//
// Options may ask to be told of the task's progress (OnProgress).
//
// BIG-IQ API: GET /mgmt/cm/access/tasks/revoke-tokens/{id}, repeated
// F5 docs: https://clouddocs.f5.com/products/big-iq/mgmt-api/v7.1.0/HowToSamples/bigiq_public_api_wf/t_revoke_oauth_token.html
func (c *Client) WaitForTask(ctx context.Context, id string, options ...WaitOption) (*Task, error) {
	var opts waitOptions
	for _, o := range options {
		o(&opts)
	}
	ctx = tflog.SetField(ctx, "task_id", id)
	start := c.clock.Now()
	delay := firstPoll
	var last *Task
	var lastErr error
	for {
		if err := c.clock.Sleep(ctx, delay); err != nil {
			return last, &WaitError{TaskID: id, Last: last, Err: withLastError(err, lastErr)}
		}
		delay = pollInterval(c.clock.Now().Sub(start))

		task, err := c.GetTask(ctx, id)
		if err != nil {
			if ctx.Err() != nil {
				return last, &WaitError{TaskID: id, Last: last, Err: withLastError(ctx.Err(), err)}
			}
			if !pollMayRecover(err) {
				return last, &WaitError{TaskID: id, Last: last, Err: err}
			}
			lastErr = err
			tflog.Warn(ctx, "reading the revoke-tokens task failed; will try again", map[string]any{"error": err.Error()})
			continue
		}
		lastErr = nil
		if last == nil || task.Status != last.Status || task.CurrentStep != last.CurrentStep {
			tflog.Info(ctx, "revoke-tokens task progressed", map[string]any{
				"status":       task.Status,
				"current_step": task.CurrentStep,
				"waited_ms":    c.clock.Now().Sub(start).Milliseconds(),
			})
			if opts.onProgress != nil {
				opts.onProgress(task)
			}
		}
		last = task
		if !task.terminal() {
			continue
		}
		if !task.succeeded() {
			return task, &TaskError{Task: task}
		}
		return task, nil
	}
}

// WaitOption changes how WaitForTask waits.
type WaitOption func(*waitOptions)

type waitOptions struct {
	onProgress func(*Task)
}

// OnProgress makes WaitForTask call f with the task each time a poll finds
// its status or step changed, the first poll included. f is called on
// the goroutine that called WaitForTask, before the wait goes on, so it
// never runs after WaitForTask has returned: a caller may report progress
// through something that must not be used once it is done (Terraform's
// progress events). The wait does not interrupt f; it should return
// promptly.
func OnProgress(f func(*Task)) WaitOption {
	return func(o *waitOptions) { o.onProgress = f }
}

// pollMayRecover reports whether a failed read of a task may succeed on a
// later poll: the connection failed, BIG-IQ or a proxy turned the read away
// for now, or BIG-IQ answered 500, as it does while it restarts. The client
// already retried the read a few times within moments; polling waits longer.
// Credentials BIG-IQ refused for good and a certificate that does not
// verify will not change by waiting.
func pollMayRecover(err error) bool {
	if IsAuthFailure(err) || isTLSFailure(err) {
		return false
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return true // the connection failed
	}
	return turnedAwayForNow(apiErr.StatusCode) || apiErr.StatusCode == http.StatusInternalServerError
}

// withLastError keeps, next to why the wait ended, the poll error that kept
// it from seeing the task finish, if any.
func withLastError(err, lastErr error) error {
	if lastErr == nil {
		return err
	}
	return fmt.Errorf("%w (last poll: %w)", err, lastErr)
}
