package bigiq

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// APIError is an error response from BIG-IQ. It keeps what a user can act on
// (status, message, operation id) and drops the Java stack BIG-IQ also sends.
type APIError struct {
	Method     string
	Path       string
	StatusCode int
	Message    string
	// OperationID is BIG-IQ's restOperationId: the key to its own logs.
	OperationID int64
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "BIG-IQ answered %s %s with %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.OperationID != 0 {
		fmt.Fprintf(&b, " (restOperationId %d)", e.OperationID)
	}
	return b.String()
}

// IsNotFound reports whether err is BIG-IQ saying the object does not exist.
func IsNotFound(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound
}

// maxMessageLen bounds how much of an unexpected body reaches an error
// message: a proxy's HTML page or a huge body must not flood the user.
const maxMessageLen = 300

// parseAPIError turns an error response into an APIError. It accepts
// anything: BIG-IQ's JSON error body, another JSON shape, or a proxy's HTML.
func parseAPIError(method, path string, status int, body []byte) *APIError {
	apiErr := &APIError{Method: method, Path: path, StatusCode: status}
	var wire struct {
		Message         string `json:"message"`
		RestOperationID int64  `json:"restOperationId"`
	}
	if json.Unmarshal(body, &wire) == nil && wire.Message != "" {
		apiErr.Message = truncate(wire.Message)
		apiErr.OperationID = wire.RestOperationID
		return apiErr
	}
	apiErr.Message = truncate(strings.TrimSpace(string(body)))
	return apiErr
}

func truncate(s string) string {
	if len(s) <= maxMessageLen {
		return s
	}
	return s[:maxMessageLen] + "…"
}

// ambiguousError is a request that changes something and whose connection
// failed after it was sent: BIG-IQ may or may not have acted on it.
type ambiguousError struct{ err error }

func (e *ambiguousError) Error() string {
	return e.err.Error() + " (the connection failed after the request was sent, so BIG-IQ may or may not have acted on it)"
}

func (e *ambiguousError) Unwrap() error { return e.err }

// MayHaveActed reports whether err is a request that changes something
// whose outcome is unknown: the connection failed after it was sent, and
// the client could not settle whether BIG-IQ acted on it.
func MayHaveActed(err error) bool {
	var ambiguous *ambiguousError
	return errors.As(err, &ambiguous)
}

// authError is a credential BIG-IQ refused that the client cannot renew: a
// refused login, or a pre-issued token or refresh token BIG-IQ no longer
// accepts. Trying again in the same run would not help, and repeated
// failed logins lock BIG-IQ accounts, so it is final.
type authError struct{ err error }

func (e *authError) Error() string { return e.err.Error() }

func (e *authError) Unwrap() error { return e.err }

// IsAuthFailure reports whether err is BIG-IQ refusing the provider's
// credentials for good (see authError).
func IsAuthFailure(err error) bool {
	var authErr *authError
	return errors.As(err, &authErr)
}

// TaskError is a revoke-tokens task that ended without revoking what it was
// asked to: FAILED, CANCELLED, or FINISHED with a failed result.
type TaskError struct {
	Task *Task
}

func (e *TaskError) Error() string {
	t := e.Task
	msg := fmt.Sprintf("revoke-tokens task %s %s at step %s", t.ID, t.Status, orNone(t.CurrentStep))
	if t.Result != "" && t.Result != t.Status {
		msg += " with result " + t.Result
	}
	if t.ErrorMessage != "" {
		msg += ": " + t.ErrorMessage
	}
	return msg
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// WaitError is a wait for a task that ended before the task did: the
// context was cancelled or timed out, or BIG-IQ stopped answering usefully.
type WaitError struct {
	TaskID string
	// Last is the last state of the task that was read, or nil.
	Last *Task
	Err  error
}

func (e *WaitError) Error() string {
	msg := fmt.Sprintf("stopped waiting for revoke-tokens task %s", e.TaskID)
	if e.Last != nil {
		msg += fmt.Sprintf(" (last seen %s at step %s)", e.Last.Status, orNone(e.Last.CurrentStep))
	}
	if IsNotFound(e.Err) {
		msg += fmt.Sprintf(": task %s is gone: BIG-IQ no longer has it (it was deleted or purged), so its outcome is unknown", e.TaskID)
	}
	return msg + ": " + e.Err.Error()
}

func (e *WaitError) Unwrap() error { return e.Err }
