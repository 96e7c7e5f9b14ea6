package bigiq

// Wire types for the BIG-IQ endpoints this provider uses. Field names follow
// BIG-IQ's JSON exactly; see ../shared/bigiq-api.md and seed 001.

// Paths of the BIG-IQ REST endpoints, relative to the configured address.
const (
	PathLogin        = "/mgmt/shared/authn/login"
	PathAuthTokens   = "/mgmt/shared/authz/tokens"
	PathDevices      = "/mgmt/cm/system/machineid-resolver"
	PathDeviceGroups = "/mgmt/shared/resolver/device-groups"
	PathOAuthApps    = "/mgmt/cm/access/working-config/apm/oauth/oauth-client-app"
	PathRevokeTasks  = "/mgmt/cm/access/tasks/revoke-tokens"
)

// DeviceLinkPrefix is how BIG-IQ writes a machineid-resolver device
// reference: it always names itself "localhost" in links.
const DeviceLinkPrefix = "https://localhost" + PathDevices + "/"

// Action is the kind of revocation a task performs.
type Action string

// The three revocation actions BIG-IQ accepts.
const (
	ActionRevokeForUser     Action = "REVOKE_TOKEN_FOR_USER"
	ActionRevokeForClientID Action = "REVOKE_TOKEN_FOR_CLIENT_ID"
	ActionRevokeList        Action = "REVOKE_LIST_OF_TOKENS"
)

// Task statuses. FINISHED, FAILED and CANCELLED are terminal.
const (
	StatusStarted         = "STARTED"
	StatusFinished        = "FINISHED"
	StatusFailed          = "FAILED"
	StatusCancelled       = "CANCELLED"
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

// Reference is BIG-IQ's link object, {"link": "https://localhost/..."}.
type Reference struct {
	Link string `json:"link"`
}

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

// Terminal reports whether the task will not change any more.
func (t *Task) Terminal() bool {
	switch t.Status {
	case StatusFinished, StatusFailed, StatusCancelled:
		return true
	}
	return false
}

// Succeeded reports whether the task finished and revoked what it was asked to.
func (t *Task) Succeeded() bool {
	return t.Status == StatusFinished && t.Result == ResultComplete
}

// Failures returns the per-device failures, wherever BIG-IQ reported them:
// the list-of-tokens action uses resultDetails, the others failureDetails.
func (t *Task) Failures() []DeviceFailure {
	return append(append([]DeviceFailure(nil), t.FailureDetails...), t.ResultDetails...)
}

// Request returns the revocation input the task echoes back.
func (t *Task) Request() RevokeRequest {
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

// Device is a managed BIG-IP as the machineid-resolver describes it,
// flattened to what the provider needs.
type Device struct {
	UUID              string
	MachineID         string
	Hostname          string
	Address           string
	ManagementAddress string
	DeviceURI         string
	HTTPSPort         int64
	State             string
	Product           string
	Version           string
	Build             string
	ClusterName       string
	AccessGroupName   string
	IsClustered       bool
	IsVirtual         bool
	TrustEstablished  bool
	AccessDiscovered  bool
	AccessImported    bool
	// SelfLink is the device reference a revocation task accepts.
	SelfLink string
}

// OAuthClientApp is an APM OAuth client application.
type OAuthClientApp struct {
	Name     string `json:"name"`
	AppName  string `json:"appName"`
	ClientID string `json:"clientId"`
}

// AccessGroup is a BIG-IQ Access group (a device group with
// cm:access:access_group set).
type AccessGroup struct {
	GroupName   string `json:"groupName"`
	DisplayName string `json:"displayName"`
}
