package bigiq

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The revoke-tokens tasks on the wire: the request that starts one and the
// task BIG-IQ returns. Starting one is in task_start.go, following it to the
// end in task_wait.go, what it achieved in outcome.go, the list of past
// tasks in task_history.go.

// PathRevokeTasks holds the revoke-tokens tasks.
const PathRevokeTasks = "/mgmt/cm/access/tasks/revoke-tokens"

// Action is the kind of revocation a task performs.
type Action string

// The three revocation actions BIG-IQ accepts.
const (
	ActionRevokeForUser     Action = "REVOKE_TOKEN_FOR_USER"
	ActionRevokeForClientID Action = "REVOKE_TOKEN_FOR_CLIENT_ID"
	ActionRevokeList        Action = "REVOKE_LIST_OF_TOKENS"
)

// Task statuses. FINISHED, FAILED and CANCELLED (which F5's own test code
// spells CANCELED) are terminal; CREATED comes before STARTED. The status
// is kept as BIG-IQ spelt it; Cancelled reads both spellings.
const (
	statusCreated         = "CREATED"
	StatusStarted         = "STARTED"
	StatusFinished        = "FINISHED"
	StatusFailed          = "FAILED"
	StatusCancelled       = "CANCELLED"
	statusCanceled        = "CANCELED"
	StatusCancelRequested = "CANCEL_REQUESTED"
)

// Task results and the final step.
const (
	ResultComplete = "COMPLETE"
	ResultFailed   = "FAILED"
	StepDone       = "DONE"
)

// Messages BIG-IQ puts in errorMessage for the failures seen in practice.
const (
	MessageNoMatchingDevices = "No matching device(s) found for given accessGroup or cluster or deviceReference list."
	MessageTokensNotFound    = "Tokens not found in index. Possibly already revoked tokens."
)

// OAuthID names one OAuth token on a device.
type OAuthID struct {
	ID       string `json:"id"`
	ClientID string `json:"clientId,omitempty"`
}

// DeviceOAuthIDs is one entry of perDeviceOauthIds.
type DeviceOAuthIDs struct {
	OAuthIDs        []OAuthID `json:"oauthIds"`
	DeviceReference Reference `json:"deviceReference"`
}

// RevokeRequest is the body of POST /mgmt/cm/access/tasks/revoke-tokens.
type RevokeRequest struct {
	Action            Action           `json:"action"`
	UserName          string           `json:"userName,omitempty"`
	ClientID          string           `json:"clientId,omitempty"`
	PerDeviceOAuthIDs []DeviceOAuthIDs `json:"perDeviceOauthIds,omitempty"`
	AccessGroupNames  []string         `json:"accessGroupNames,omitempty"`
	ClusterNames      []string         `json:"clusterNames,omitempty"`
	DeviceReferences  []Reference      `json:"deviceReferences,omitempty"`
}

// FailedID is one token BIG-IQ could not revoke on a device.
type FailedID struct {
	ErrorCode  int    `json:"errorCode,omitempty"`
	Error      string `json:"error,omitempty"`
	ID         string `json:"id,omitempty"`
	DBInstance string `json:"dbInstance,omitempty"`
	ClientID   string `json:"clientId,omitempty"`
}

// DeviceFailure groups the failed ids of one device, as in failureDetails
// and resultDetails.
type DeviceFailure struct {
	DeviceReference Reference  `json:"deviceReference"`
	FailedIDs       []FailedID `json:"failedIds"`
}

// Task is a revoke-tokens task as BIG-IQ returns it.
//
// BIG-IQ sends both userName (whose tokens, the input) and username (the
// BIG-IQ account that started the task). encoding/json matches keys without
// regard to case when there is no exact match, so both are declared to keep
// one from being filled from the other.
type Task struct {
	ID                 string           `json:"id"`
	Action             Action           `json:"action"`
	UserName           string           `json:"userName,omitempty"`
	Username           string           `json:"username,omitempty"`
	ClientID           string           `json:"clientId,omitempty"`
	PerDeviceOAuthIDs  []DeviceOAuthIDs `json:"perDeviceOauthIds,omitempty"`
	AccessGroupNames   []string         `json:"accessGroupNames,omitempty"`
	ClusterNames       []string         `json:"clusterNames,omitempty"`
	DeviceReferences   []Reference      `json:"deviceReferences,omitempty"`
	Status             string           `json:"status"`
	Result             string           `json:"result,omitempty"`
	CurrentStep        string           `json:"currentStep,omitempty"`
	ErrorMessage       string           `json:"errorMessage,omitempty"`
	StartDateTime      string           `json:"startDateTime,omitempty"`
	EndDateTime        string           `json:"endDateTime,omitempty"`
	FailureDetails     []DeviceFailure  `json:"failureDetails,omitempty"`
	ResultDetails      []DeviceFailure  `json:"resultDetails,omitempty"`
	UserReference      *Reference       `json:"userReference,omitempty"`
	IdentityReferences []Reference      `json:"identityReferences,omitempty"`
	OwnerMachineID     string           `json:"ownerMachineId,omitempty"`
	Generation         int64            `json:"generation"`
	LastUpdateMicros   int64            `json:"lastUpdateMicros"`
	Kind               string           `json:"kind,omitempty"`
	SelfLink           string           `json:"selfLink,omitempty"`
}

// terminal reports whether the task will not change any more.
func (t *Task) terminal() bool {
	switch t.Status {
	case StatusFinished, StatusFailed, StatusCancelled, statusCanceled:
		return true
	}
	return false
}

// Cancelled reports whether the task was cancelled, in either spelling.
func (t *Task) Cancelled() bool {
	return t.Status == StatusCancelled || t.Status == statusCanceled
}

// NoDeviceMatched reports whether the task failed because its targets
// (clusters, Access groups, device references) named no managed device.
func (t *Task) NoDeviceMatched() bool {
	return t.ErrorMessage == MessageNoMatchingDevices
}

// Input returns the revocation as it was asked for: the task's echo of its
// request, less the targets StartRevokeTask derived from PerDeviceOAuthIDs.
func (t *Task) Input() RevokeRequest {
	req := t.echoedRequest()
	if req.Action == ActionRevokeList && len(req.ClusterNames) == 0 && len(req.AccessGroupNames) == 0 &&
		SameDevices(links(req.DeviceReferences), links(perDeviceRefs(req.PerDeviceOAuthIDs))) {
		req.DeviceReferences = nil
	}
	return req
}

func perDeviceRefs(entries []DeviceOAuthIDs) []Reference {
	refs := make([]Reference, 0, len(entries))
	for _, entry := range entries {
		refs = append(refs, entry.DeviceReference)
	}
	return refs
}

// echoedRequest returns the revocation input the task echoes back, targets
// derived by StartRevokeTask included.
func (t *Task) echoedRequest() RevokeRequest {
	return RevokeRequest{
		Action:            t.Action,
		UserName:          t.UserName,
		ClientID:          t.ClientID,
		PerDeviceOAuthIDs: t.PerDeviceOAuthIDs,
		AccessGroupNames:  t.AccessGroupNames,
		ClusterNames:      t.ClusterNames,
		DeviceReferences:  t.DeviceReferences,
	}
}

func parseTask(body []byte) (*Task, error) {
	var task Task
	if err := json.Unmarshal(body, &task); err != nil {
		return nil, fmt.Errorf("the response is not a revoke-tokens task: %w", err)
	}
	if task.ID == "" {
		return nil, errors.New("the response is not a revoke-tokens task: it has no id")
	}
	task.normalizeFailures()
	return &task, nil
}

// normalizeFailures reads the per-token failures in their documented form
// whichever form this BIG-IQ wrote them in: a device in the device-groups
// link form gets its machineid-resolver link, and a client id that BIG-IQ
// put in dbInstance (leaving clientId "") moves to ClientID. dbInstance
// otherwise names the OAuth database, a path such as "/Common/oauthdb".
func (t *Task) normalizeFailures() {
	for _, details := range [][]DeviceFailure{t.FailureDetails, t.ResultDetails} {
		for i := range details {
			d := &details[i]
			if id, ok := strings.CutPrefix(d.DeviceReference.Link, deviceGroupLinkPrefix); ok && machineIDPattern.MatchString(id) {
				d.DeviceReference.Link = DeviceLinkPrefix + id
			}
			for j := range d.FailedIDs {
				f := &d.FailedIDs[j]
				if f.ClientID == "" && f.DBInstance != "" && !strings.HasPrefix(f.DBInstance, "/") {
					f.ClientID = f.DBInstance
				}
			}
		}
	}
}

// parseBIGIQTime reads a task date as BIG-IQ writes it
// ("2016-09-12T19:18:23.451-0700"), or in RFC 3339.
func parseBIGIQTime(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05-0700", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// GetTask reads a revoke-tokens task. IsNotFound(err) says it is gone.
//
// BIG-IQ API: GET /mgmt/cm/access/tasks/revoke-tokens/{id}
// F5 docs: https://clouddocs.f5.com/products/big-iq/mgmt-api/v6.1.0/ApiReferences/bigiq_public_api_ref/r_access_revoke_tokens.html
func (c *Client) GetTask(ctx context.Context, id string) (*Task, error) {
	path := PathRevokeTasks + "/" + url.PathEscape(id)
	body, err := c.do(ctx, request{method: http.MethodGet, path: path})
	if err != nil {
		return nil, err
	}
	task, err := parseTask(body)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", path, err)
	}
	return task, nil
}
