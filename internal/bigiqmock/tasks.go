package bigiqmock

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

const (
	actionUser     = "REVOKE_TOKEN_FOR_USER"
	actionClientID = "REVOKE_TOKEN_FOR_CLIENT_ID"
	actionList     = "REVOKE_LIST_OF_TOKENS"

	statusCreated         = "CREATED"
	statusStarted         = "STARTED"
	statusFinished        = "FINISHED"
	statusFailed          = "FAILED"
	statusCancelled       = "CANCELLED"
	statusCanceled        = "CANCELED" // F5's test code's spelling; see Quirks
	statusCancelRequested = "CANCEL_REQUESTED"

	resultComplete = "COMPLETE"
	resultFailed   = "FAILED"

	stepResolveDevices      = "RESOLVE_DEVICES"
	stepRevokeForStandalone = "REVOKE_TOKENS_FOR_STANDALONE"
	stepRevokeForCluster    = "REVOKE_TOKENS_FOR_CLUSTER"
	stepDone                = "DONE"

	// MessageNoMatchingDevices is the errorMessage of a task whose targets
	// resolve to no device.
	MessageNoMatchingDevices = "No matching device(s) found for given accessGroup or cluster or deviceReference list."
	// MessageTokensNotFound is the errorMessage of a task that found nothing
	// to revoke on its devices.
	MessageTokensNotFound = "Tokens not found in index. Possibly already revoked tokens."
	// MessageNoTarget is the 400 for a task without any target; the odd
	// spacing is BIG-IQ's.
	MessageNoTarget = "Request should have atleast one of these fields populated: accessGroupNames , clusterNames , machineIds "

	// ownerMachineID is the BIG-IQ's own machine id, as in F5's how-to.
	ownerMachineID  = "fd870e82-842d-4194-a882-71cb92e2a5c3"
	oauthDBInstance = "/Common/oauthdb"
)

// OutcomeKind forces how a revoke task ends.
type OutcomeKind int

const (
	OutcomeNormal          OutcomeKind = iota // resolve and revoke for real
	OutcomeFail                               // FAILED with Message (default MessageNoMatchingDevices)
	OutcomeHang                               // stays STARTED forever, unless canceled
	OutcomeCancel                             // CANCEL_REQUESTED midway, then canceled
	OutcomeCancelRequested                    // stuck in CANCEL_REQUESTED
	// OutcomeFinishedFailed ends in status FINISHED with result FAILED and
	// Message as errorMessage (none if empty), revoking nothing: a task
	// that finished but did not succeed.
	OutcomeFinishedFailed
	// OutcomeCompleteWithError revokes for real, then ends in status
	// FINISHED with result COMPLETE and yet Message as errorMessage, an
	// answer BIG-IQ does not document: a task that says it succeeded and
	// that something went wrong.
	OutcomeCompleteWithError
)

// TaskOutcome is queued with QueueTaskOutcome for the next created task.
type TaskOutcome struct {
	Kind    OutcomeKind
	Message string
}

type oauthID struct {
	ID       string `json:"id"`
	ClientID string `json:"clientId,omitempty"`
}

type deviceOAuthIDs struct {
	OAuthIDs        []oauthID `json:"oauthIds"`
	DeviceReference *link     `json:"deviceReference"`
}

// revokeInput is the task input as BIG-IQ echoes it back.
type revokeInput struct {
	Action            *string          `json:"action"`
	UserName          string           `json:"userName,omitempty"`
	ClientID          string           `json:"clientId,omitempty"`
	PerDeviceOAuthIDs []deviceOAuthIDs `json:"perDeviceOauthIds,omitempty"`
	AccessGroupNames  []string         `json:"accessGroupNames,omitempty"`
	ClusterNames      []string         `json:"clusterNames,omitempty"`
	DeviceReferences  []link           `json:"deviceReferences,omitempty"`
}

type failedID struct {
	ErrorCode  int    `json:"errorCode"`
	Error      string `json:"error"`
	ID         string `json:"id,omitempty"`
	DBInstance string `json:"dbInstance"`
	ClientID   string `json:"clientId"`
}

type deviceFailure struct {
	DeviceReference link       `json:"deviceReference"`
	FailedIDs       []failedID `json:"failedIds"`
}

// taskWire is the task as BIG-IQ sends it, fields in the order of F5's
// revocation how-to.
type taskWire struct {
	revokeInput
	CurrentStep        string           `json:"currentStep"`
	Status             string           `json:"status"`
	Result             string           `json:"result,omitempty"`
	ErrorMessage       string           `json:"errorMessage,omitempty"`
	FailureDetails     *[]deviceFailure `json:"failureDetails,omitempty"`
	ResultDetails      *[]deviceFailure `json:"resultDetails,omitempty"`
	Generation         int64            `json:"generation"`
	ID                 string           `json:"id"`
	IdentityReferences []link           `json:"identityReferences"`
	Kind               string           `json:"kind"`
	LastUpdateMicros   int64            `json:"lastUpdateMicros"`
	OwnerMachineID     string           `json:"ownerMachineId"`
	SelfLink           string           `json:"selfLink"`
	StartDateTime      string           `json:"startDateTime"`
	EndDateTime        string           `json:"endDateTime,omitempty"`
	UserReference      link             `json:"userReference"`
	Username           string           `json:"username,omitempty"`
}

type task struct {
	wire     taskWire
	created  time.Time
	duration time.Duration
	outcome  TaskOutcome
	devices  []*FixtureDevice // resolved targets, once midway
	startAt  time.Time        // when a CREATED task starts (Quirks.CreatedFirst)
	midway   bool             // past RESOLVE_DEVICES: targets resolved
	cancelAt time.Time        // set by a cancel request
}

func (t *task) terminal() bool {
	switch t.wire.Status {
	case statusFinished, statusFailed, statusCancelled, statusCanceled:
		return true
	}
	return false
}

// --- HTTP ---

func (m *Mock) createTask(w http.ResponseWriter, r *http.Request, body []byte, user string) {
	in, msg := parseRevokeInput(body)
	if msg != "" {
		m.writeError(w, r, http.StatusBadRequest, msg, body)
		return
	}
	m.startTask(in, user).write(w)
}

// parseRevokeInput decodes a task POST body; it returns BIG-IQ's 400
// message for bad input.
func parseRevokeInput(body []byte) (revokeInput, string) {
	var in revokeInput
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&in); err != nil {
		return in, "Invalid JSON in request body: " + err.Error()
	}
	return in, validateRevokeInput(in)
}

// StartTaskAs starts a revoke-tokens task for the BIG-IQ account username,
// as if that account had posted body elsewhere (another pipeline, the
// BIG-IQ UI), and returns its id. The task is recorded like any other
// (with username and userReference naming that account) but the request
// is not. Bad input is refused with BIG-IQ's 400 message.
func (m *Mock) StartTaskAs(username string, body []byte) (string, error) {
	in, msg := parseRevokeInput(body)
	if msg != "" {
		return "", errors.New("bigiqmock: " + msg)
	}
	var started struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(m.startTask(in, username).body, &started); err != nil {
		return "", err
	}
	return started.ID, nil
}

// startTask records a new task for a valid input and answers with it.
func (m *Mock) startTask(in revokeInput, user string) reply {
	now := m.lockAdvanced()
	defer m.mu.Unlock()
	id := newUUID()
	userLink := link{selfHost + pathAuthUsers + "/" + user}
	t := &task{
		created:  now,
		duration: m.taskDuration,
		wire: taskWire{
			revokeInput:        in,
			CurrentStep:        stepResolveDevices,
			Status:             statusStarted,
			ID:                 id,
			IdentityReferences: []link{userLink},
			Kind:               kindTask,
			OwnerMachineID:     ownerMachineID,
			SelfLink:           selfHost + pathRevokeTasks + "/" + id,
			StartDateTime:      now.Format(bigiqTimeLayout),
			UserReference:      userLink,
			Username:           user,
		},
	}
	if len(m.outcomes) > 0 {
		t.outcome, m.outcomes = m.outcomes[0], m.outcomes[1:]
	}
	if m.quirks.UserReferenceOnly {
		t.wire.Username = ""
	}
	if m.quirks.CreatedFirst {
		t.wire.Status = statusCreated
		t.startAt = now.Add(t.duration / 4)
	}
	m.tasks[id] = t
	m.taskOrder = append(m.taskOrder, id)
	m.touch(t, now)
	status := http.StatusOK
	if m.quirks.PostAccepted {
		status = http.StatusAccepted
	}
	return reply{status, mustJSON(t.wire)}
}

// validateRevokeInput returns BIG-IQ's 400 message for bad input, or "".
func validateRevokeInput(in revokeInput) string {
	if in.Action == nil || *in.Action == "" {
		return "action is missing"
	}
	switch *in.Action {
	case actionUser:
		if in.UserName == "" {
			return "userName is missing for action " + actionUser
		}
	case actionClientID:
		if in.ClientID == "" {
			return "clientId is missing for action " + actionClientID
		}
	case actionList:
		if len(in.PerDeviceOAuthIDs) == 0 {
			return "perDeviceOauthIds is missing for action " + actionList
		}
		for i, d := range in.PerDeviceOAuthIDs {
			if d.DeviceReference == nil || d.DeviceReference.Link == "" {
				return fmt.Sprintf("perDeviceOauthIds[%d].deviceReference is missing", i)
			}
			if len(d.OAuthIDs) == 0 {
				return fmt.Sprintf("perDeviceOauthIds[%d].oauthIds is missing", i)
			}
			for j, o := range d.OAuthIDs {
				if o.ID == "" {
					return fmt.Sprintf("perDeviceOauthIds[%d].oauthIds[%d].id is missing", i, j)
				}
			}
		}
	default:
		return fmt.Sprintf("Invalid action %q: expected one of %s, %s, %s", *in.Action, actionUser, actionClientID, actionList)
	}
	if len(in.AccessGroupNames) == 0 && len(in.ClusterNames) == 0 && len(in.DeviceReferences) == 0 {
		return MessageNoTarget
	}
	return ""
}

func (m *Mock) handleTask(w http.ResponseWriter, r *http.Request, id string, body []byte) {
	m.taskReply(r, id, body).write(w)
}

func (m *Mock) taskReply(r *http.Request, id string, body []byte) reply {
	now := m.lockAdvanced()
	defer m.mu.Unlock()
	t, ok := m.tasks[id]
	if !ok {
		return m.notFoundReply(r)
	}
	switch r.Method {
	case http.MethodGet:
		return reply{http.StatusOK, selectFields(mustJSON(t.wire), parseSelect(r.URL.Query()))}
	case http.MethodDelete:
		m.deleteTaskLocked(id)
		return okReply(t.wire)
	case http.MethodPatch:
		return m.cancelTaskLocked(r, t, body, now)
	}
	return m.methodNotAllowedReply(r)
}

// cancelTaskLocked answers a PATCH of a task, which BIG-IQ accepts only as
// a cancel request.
func (m *Mock) cancelTaskLocked(r *http.Request, t *task, body []byte, now time.Time) reply {
	var req struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.Status != statusCancelRequested {
		return m.errorReply(r, http.StatusBadRequest, "Only {\"status\":\"CANCEL_REQUESTED\"} can be patched on a revoke-tokens task", body)
	}
	if t.terminal() {
		return m.errorReply(r, http.StatusBadRequest, "Task "+t.wire.ID+" cannot be canceled: it is already "+t.wire.Status, body)
	}
	if t.wire.Status != statusCancelRequested {
		t.wire.Status = statusCancelRequested
		m.touch(t, now)
	}
	// A task stuck in CANCEL_REQUESTED by design stays stuck.
	if t.outcome.Kind != OutcomeCancelRequested && t.cancelAt.IsZero() {
		t.cancelAt = now.Add(t.duration / 2)
	}
	return okReply(t.wire)
}

func (m *Mock) taskCollection() *collection {
	m.lockAdvanced()
	defer m.mu.Unlock()
	items := make([][]byte, 0, len(m.taskOrder))
	var generation, lastUpdate int64
	for _, id := range m.taskOrder {
		t := m.tasks[id]
		items = append(items, mustJSON(t.wire))
		generation += t.wire.Generation
		lastUpdate = max(lastUpdate, t.wire.LastUpdateMicros)
	}
	return newCollection(pathRevokeTasks, kindTaskCollection, generation, lastUpdate, len(items), func(i int) []byte { return items[i] })
}

func (m *Mock) deleteTaskLocked(id string) {
	if _, ok := m.tasks[id]; !ok {
		return
	}
	delete(m.tasks, id)
	m.taskOrder = slices.DeleteFunc(m.taskOrder, func(x string) bool { return x == id })
}

// --- progress ---

// lockAdvanced takes the lock and brings every task up to the clock, so
// state is always as of "now" without background goroutines.
func (m *Mock) lockAdvanced() time.Time {
	m.mu.Lock()
	now := m.now()
	for _, id := range m.taskOrder {
		m.advance(m.tasks[id], now)
	}
	return now
}

func (m *Mock) touch(t *task, at time.Time) {
	t.wire.Generation++
	t.wire.LastUpdateMicros = at.UnixMicro()
}

func (m *Mock) advance(t *task, now time.Time) {
	if t.terminal() {
		return
	}
	midway := t.created.Add(t.duration / 2)
	end := t.created.Add(t.duration)
	if t.wire.Status == statusCreated && !now.Before(t.startAt) {
		t.wire.Status = statusStarted
		m.touch(t, t.startAt)
	}
	if !t.midway && !now.Before(midway) {
		// BIG-IQ resolves the targets in its RESOLVE_DEVICES step, some
		// time after the POST, not when it accepts the task.
		t.midway = true
		m.applyTimedChanges(BeforeResolve)
		t.devices = m.resolve(t.wire.revokeInput)
		m.applyTimedChanges(AfterResolve)
		if len(t.devices) > 0 {
			t.wire.CurrentStep = stepRevokeForStandalone
			if slices.ContainsFunc(t.devices, func(d *FixtureDevice) bool { return d.ClusterName != "" }) {
				t.wire.CurrentStep = stepRevokeForCluster
			}
		}
		if t.outcome.Kind == OutcomeCancel || t.outcome.Kind == OutcomeCancelRequested {
			t.wire.Status = statusCancelRequested
		}
		m.touch(t, midway)
	}
	// A cancel request wins if it lands before the task would have ended.
	if !t.cancelAt.IsZero() && !t.cancelAt.After(end) && !now.Before(t.cancelAt) {
		m.finish(t, t.cancelAt, m.quirks.canceledStatus(), "", "")
		return
	}
	if now.Before(end) {
		return
	}
	switch t.outcome.Kind {
	case OutcomeHang, OutcomeCancelRequested:
	case OutcomeCancel:
		m.finish(t, end, m.quirks.canceledStatus(), "", "")
	case OutcomeFail:
		msg := t.outcome.Message
		if msg == "" {
			msg = MessageNoMatchingDevices
		}
		t.wire.FailureDetails = &[]deviceFailure{}
		m.finish(t, end, statusFailed, resultFailed, msg)
	case OutcomeFinishedFailed:
		m.finish(t, end, statusFinished, resultFailed, t.outcome.Message)
	case OutcomeCompleteWithError:
		m.revoke(t, end)
		if t.wire.Status == statusFinished && t.wire.Result == resultComplete {
			t.wire.ErrorMessage = t.outcome.Message
		}
	default:
		m.revoke(t, end)
	}
}

// finish ends a task; a canceled task has no result.
func (m *Mock) finish(t *task, at time.Time, status, result, errorMessage string) {
	t.wire.Status, t.wire.Result, t.wire.ErrorMessage = status, result, errorMessage
	if status == statusFinished {
		t.wire.CurrentStep = stepDone
	}
	t.wire.EndDateTime = at.Format(bigiqTimeLayout)
	m.touch(t, at)
}

// revoke does the task's work on the active devices it resolved to: it
// removes the live tokens asked for and reports those it could not find.
// The standby member of a cluster holds no tokens of its own; the task
// passes over it without error.
func (m *Mock) revoke(t *task, at time.Time) {
	if len(t.devices) == 0 {
		t.wire.FailureDetails = &[]deviceFailure{}
		m.finish(t, at, statusFailed, resultFailed, MessageNoMatchingDevices)
		return
	}
	active := slices.DeleteFunc(slices.Clone(t.devices), func(d *FixtureDevice) bool { return d.FailoverState != failoverActive })
	if len(active) == 0 {
		m.finish(t, at, statusFinished, resultComplete, "")
		return
	}
	isList := *t.wire.Action == actionList
	var revokedAny bool
	var missing []deviceFailure
	if isList {
		revokedAny, missing = m.revokeListed(t, active)
	} else {
		revokedAny, missing = m.revokeMatching(t, active)
	}
	if missing == nil {
		missing = []deviceFailure{}
	}
	switch {
	case !revokedAny && isList:
		t.wire.ResultDetails = &missing
		m.finish(t, at, statusFailed, resultFailed, MessageTokensNotFound)
	case !revokedAny:
		t.wire.FailureDetails = &missing
		m.finish(t, at, statusFailed, resultFailed, MessageTokensNotFound)
	default:
		// A list revocation that found only some of its ids still
		// finishes, naming the others in resultDetails.
		switch {
		case isList && len(missing) > 0:
			t.wire.ResultDetails = &missing
		case slices.ContainsFunc(missing, deviceFailure.refused):
			t.wire.FailureDetails = &missing
		}
		m.finish(t, at, statusFinished, resultComplete, "")
	}
}

// revokeListed revokes the ids of REVOKE_LIST_OF_TOKENS on each device and
// returns, per device, the ids it did not find there.
func (m *Mock) revokeListed(t *task, devices []*FixtureDevice) (revokedAny bool, missing []deviceFailure) {
	for _, d := range devices {
		var notFound []failedID
		for _, want := range idsForDevice(t.wire.PerDeviceOAuthIDs, d.UUID) {
			// BIG-IQ's request names each token by the pair of its OAuth id
			// and the client id it was issued to; an entry without the
			// client id names no token, so it matches nothing.
			matches := func(tok Token) bool {
				return tok.ID == want.ID && tok.ClientID == want.ClientID
			}
			if refused := m.refusedIDs(d, matches); len(refused) > 0 {
				notFound = append(notFound, refused...)
				continue
			}
			n := m.removeTokens(d, t, matches)
			if n == 0 {
				notFound = append(notFound, m.notFoundID(want.ID, want.ClientID))
			}
			revokedAny = revokedAny || n > 0
		}
		if len(notFound) > 0 {
			missing = append(missing, deviceFailure{DeviceReference: m.quirks.failureLink(d.UUID), FailedIDs: notFound})
		}
	}
	return revokedAny, missing
}

// revokeMatching revokes every token of the user or client id on each
// device and returns the devices where it found none.
func (m *Mock) revokeMatching(t *task, devices []*FixtureDevice) (revokedAny bool, missing []deviceFailure) {
	in := t.wire.revokeInput
	matches := func(tok Token) bool { return tok.UserName == in.UserName }
	if *in.Action == actionClientID {
		matches = func(tok Token) bool { return tok.ClientID == in.ClientID }
	}
	for _, d := range devices {
		if refused := m.refusedIDs(d, matches); len(refused) > 0 {
			missing = append(missing, deviceFailure{DeviceReference: m.quirks.failureLink(d.UUID), FailedIDs: refused})
			continue
		}
		if m.removeTokens(d, t, matches) > 0 {
			revokedAny = true
			continue
		}
		// BIG-IQ's index still knows tokens it revoked before; it names
		// them, hence "Possibly already revoked tokens".
		var notFound []failedID
		for _, old := range m.revoked[d.UUID] {
			if matches(old) {
				notFound = append(notFound, m.notFoundID(old.ID, old.ClientID))
			}
		}
		if len(notFound) == 0 {
			notFound = append(notFound, m.notFoundID("", in.ClientID))
		}
		missing = append(missing, deviceFailure{DeviceReference: m.quirks.failureLink(d.UUID), FailedIDs: notFound})
	}
	return revokedAny, missing
}

// RefuseRevocationsOn makes the BIG-IP with this machine id refuse to
// revoke its tokens, as a device that is down or out of disk does: tasks
// report each matching token with the device's error, and the token stays
// live.
func (m *Mock) RefuseRevocationsOn(machineID string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.refusing == nil {
		m.refusing = map[string]bool{}
	}
	m.refusing[machineID] = true
}

// refusedIDs reports the device's live tokens that match as refused, and
// keeps them, when the device refuses revocations.
func (m *Mock) refusedIDs(d *FixtureDevice, matches func(Token) bool) []failedID {
	if !m.refusing[d.UUID] {
		return nil
	}
	var refused []failedID
	for _, tok := range m.oauthTokens[d.UUID] {
		if matches(tok) {
			deviceError := mustJSON(struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
				Kind    string `json:"kind"`
			}{503, "Token revoke failed. The device did not answer", kindError})
			refused = append(refused, failedID{ErrorCode: 503, Error: "status:503, body:" + string(deviceError),
				ID: tok.ID, DBInstance: oauthDBInstance, ClientID: tok.ClientID})
		}
	}
	return refused
}

// refused reports whether the device refused any id, rather than not
// finding it.
func (f deviceFailure) refused() bool {
	return slices.ContainsFunc(f.FailedIDs, func(id failedID) bool { return id.ErrorCode != 400 })
}

// removeTokens revokes the device's live tokens that match and returns how many.
func (m *Mock) removeTokens(d *FixtureDevice, t *task, matches func(Token) bool) int {
	var kept, gone []Token
	for _, tok := range m.oauthTokens[d.UUID] {
		if matches(tok) {
			gone = append(gone, tok)
		} else {
			kept = append(kept, tok)
		}
	}
	m.oauthTokens[d.UUID] = kept
	m.revoked[d.UUID] = append(m.revoked[d.UUID], gone...)
	for _, tok := range gone {
		m.logf("revoked token %s of user %s (client %s) on %s by task %s", tok.ID, tok.UserName, tok.ClientID, d.Hostname, t.wire.ID)
	}
	return len(gone)
}

func (m *Mock) notFoundID(id, clientID string) failedID {
	// The BIG-IP's own error, relayed verbatim inside BIG-IQ's.
	deviceError := mustJSON(struct {
		Code            int    `json:"code"`
		Message         string `json:"message"`
		RestOperationID int64  `json:"restOperationId"`
		Kind            string `json:"kind"`
	}{400, "Token revoke failed. The OAuth ID is not found", m.restOperationID.Add(1), kindError})
	f := failedID{
		ErrorCode: 400, Error: "status:400, body:" + string(deviceError),
		ID: id, DBInstance: oauthDBInstance, ClientID: clientID,
	}
	if m.quirks.ClientIDInDBInstance {
		f.DBInstance, f.ClientID = clientID, ""
	}
	return f
}

func idsForDevice(entries []deviceOAuthIDs, uuid string) []oauthID {
	var ids []oauthID
	for _, e := range entries {
		if machineIDFromLink(e.DeviceReference.Link) == uuid {
			ids = append(ids, e.OAuthIDs...)
		}
	}
	return ids
}

// resolve returns the devices the task's targets name that BIG-IQ can
// reach, in fixture order: trust established and APM discovered. Access
// groups only cover devices whose APM configuration is imported, as the
// how-to's prerequisites say. Devices it skips are not an error.
func (m *Mock) resolve(in revokeInput) []*FixtureDevice {
	referenced := map[string]bool{}
	for _, ref := range in.DeviceReferences {
		referenced[machineIDFromLink(ref.Link)] = true
	}
	var out []*FixtureDevice
	for _, d := range m.estate.Load().devices {
		if !d.TrustEstablished || !d.AccessDiscovered {
			continue
		}
		inGroup := d.AccessImported && d.AccessGroupName != "" && slices.Contains(in.AccessGroupNames, d.AccessGroupName)
		inCluster := d.ClusterName != "" && slices.Contains(in.ClusterNames, d.ClusterName)
		if inGroup || inCluster || referenced[d.UUID] {
			out = append(out, d)
		}
	}
	return out
}

// machineIDFromLink returns the machine id of a device reference in a
// revoke-tokens request, or "" for anything else. F5's request shows one
// form, the machineid-resolver link; the device-groups form BIG-IQ writes
// in its own answers is not documented as input, so it matches nothing.
func machineIDFromLink(l string) string {
	if id, ok := strings.CutPrefix(l, selfHost+pathDevices+"/"); ok && id != "" && !strings.Contains(id, "/") {
		return id
	}
	return ""
}

func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
