package bigiq

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Starting a revoke-tokens task at most once: a POST that lost its answer
// is matched against the task list before it is sent again, and a caller
// that lost track of an earlier run adopts the task it left running.

// StartRevokeTask asks BIG-IQ to revoke tokens. The task runs on BIG-IQ;
// WaitForTask follows it. A list action that names no target gets the
// devices of its PerDeviceOAuthIDs as targets; Task.Input leaves them out.
// Each call starts a task of its own: identical calls on one client take
// turns (see taskClaims).
//
// A POST whose connection fails after it was sent may or may not have
// started a task. Sending it again blindly could start a second one, so the
// task list is searched first: a task started since the POST, by the same
// BIG-IQ user, with the same request, and not already claimed by another
// caller of this client, is taken as the one the POST started. Only when
// there is none is the POST sent again.
//
// BIG-IQ API: POST /mgmt/cm/access/tasks/revoke-tokens, and after a lost
// answer GET /mgmt/cm/access/tasks/revoke-tokens
// F5 docs: https://clouddocs.f5.com/products/big-iq/mgmt-api/v6.1.0/ApiReferences/bigiq_public_api_ref/r_access_revoke_tokens.html
// and https://clouddocs.f5.com/products/big-iq/mgmt-api/v7.1.0/HowToSamples/bigiq_public_api_wf/t_revoke_oauth_token.html
func (c *Client) StartRevokeTask(ctx context.Context, req RevokeRequest) (*Task, error) {
	req = req.withDerivedTargets()
	defer c.claims.take(req)()
	return c.startRevokeTask(ctx, req)
}

// startRevokeTask is StartRevokeTask for a caller that holds the turn.
func (c *Client) startRevokeTask(ctx context.Context, req RevokeRequest) (*Task, error) {
	sentAt := c.clock.Now()
	// The task the POST may have started began after sentAt, in BIG-IQ's
	// clock. The estimate of that clock is read when the search needs it,
	// after the task list's Date header has set it: with a pre-issued
	// token the POST may be the first request of the run.
	sentAtOnBIGIQ := func() time.Time {
		return c.serverNow().Add(sentAt.Sub(c.clock.Now())).Add(-recentTaskSlack)
	}
	for attempt := 0; ; attempt++ {
		body, err := c.do(ctx, request{method: http.MethodPost, path: PathRevokeTasks, body: req})
		var ambiguous *ambiguousError
		switch {
		case err == nil:
			task, err := parseTask(body)
			if err != nil {
				return nil, fmt.Errorf("POST %s: %w", PathRevokeTasks, err)
			}
			c.claims.claim(task.ID)
			return task, nil
		case !errors.As(err, &ambiguous) || ctx.Err() != nil || attempt >= c.maxRetries:
			return nil, err
		}
		task, findErr := c.findTask(ctx, req, sentAtOnBIGIQ)
		if findErr != nil {
			return nil, fmt.Errorf("%w; looking for the task it may have started also failed: %w", err, findErr)
		}
		if task != nil {
			tflog.Info(ctx, "the revoke-tokens POST lost its answer; found the task it started", map[string]any{"task_id": task.ID})
			return task, nil
		}
		tflog.Warn(ctx, "the revoke-tokens POST lost its answer and started no task; sending it again", map[string]any{"error": err.Error()})
	}
}

// recentTaskSlack allows for the whole-second precision of the Date header
// the server's clock is estimated from.
const recentTaskSlack = 2 * time.Second

// StartOrResumeRevokeTask is StartRevokeTask for a caller that knows the
// task an earlier run of the same revocation left running (a run that
// timed out or was interrupted), earlier, and would rather follow it than
// start the same revocation a second time alongside it. The earlier task
// is adopted (resumed is true) only if BIG-IQ is still running it, for the
// identical request, started by the same BIG-IQ user within the last
// within (the longest an earlier run waited), and no other caller of this
// client has it; otherwise a new task starts. With earlier "" it is
// StartRevokeTask.
//
// BIG-IQ API: GET /mgmt/cm/access/tasks/revoke-tokens/{id}, then as
// StartRevokeTask
// F5 docs: https://clouddocs.f5.com/products/big-iq/mgmt-api/v6.1.0/ApiReferences/bigiq_public_api_ref/r_access_revoke_tokens.html
func (c *Client) StartOrResumeRevokeTask(ctx context.Context, req RevokeRequest, earlier string, within time.Duration) (task *Task, resumed bool, err error) {
	req = req.withDerivedTargets()
	defer c.claims.take(req)()
	if earlier != "" {
		task, err = c.adoptTask(ctx, req, earlier, within)
		switch {
		case err != nil && (IsAuthFailure(err) || ctx.Err() != nil):
			return nil, false, err
		case err != nil:
			// Resuming spares BIG-IQ a duplicate; failing to look must not
			// keep the revocation from running.
			tflog.Warn(ctx, "could not read the revoke-tokens task an earlier run left; starting a new one",
				map[string]any{"task_id": earlier, "error": err.Error()})
		case task != nil:
			tflog.Info(ctx, "resuming the identical revoke-tokens task BIG-IQ is still running", map[string]any{"task_id": task.ID})
			return task, true, nil
		}
	}
	task, err = c.startRevokeTask(ctx, req)
	return task, false, err
}

// canonicalRequest renders a request so that two requests for the same
// revocation, whatever the order of their lists, render the same.
func canonicalRequest(req RevokeRequest) string {
	req.AccessGroupNames = slices.Sorted(slices.Values(req.AccessGroupNames))
	req.ClusterNames = slices.Sorted(slices.Values(req.ClusterNames))
	req.DeviceReferences = slices.SortedFunc(slices.Values(req.DeviceReferences), func(a, b Reference) int {
		return strings.Compare(a.Link, b.Link)
	})
	perDevice := make([]DeviceOAuthIDs, len(req.PerDeviceOAuthIDs))
	for i, d := range req.PerDeviceOAuthIDs {
		d.OAuthIDs = slices.SortedFunc(slices.Values(d.OAuthIDs), func(a, b OAuthID) int {
			return cmp.Or(strings.Compare(a.ID, b.ID), strings.Compare(a.ClientID, b.ClientID))
		})
		perDevice[i] = d
	}
	slices.SortFunc(perDevice, func(a, b DeviceOAuthIDs) int {
		return strings.Compare(a.DeviceReference.Link, b.DeviceReference.Link)
	})
	req.PerDeviceOAuthIDs = perDevice
	out, _ := json.Marshal(req)
	return string(out)
}

// withDerivedTargets makes the devices named in PerDeviceOAuthIDs the
// targets of a list action that names none: BIG-IQ versions differ on
// whether that action needs a target.
func (r RevokeRequest) withDerivedTargets() RevokeRequest {
	if r.Action == ActionRevokeList && len(r.ClusterNames) == 0 && len(r.AccessGroupNames) == 0 && len(r.DeviceReferences) == 0 {
		r.DeviceReferences = perDeviceRefs(r.PerDeviceOAuthIDs)
	}
	return r
}
