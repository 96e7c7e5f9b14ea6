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

// IsTokensNotFound reports whether err is the task failure BIG-IQ gives when
// there was nothing left to revoke: the tokens were already revoked or had
// expired, so no live token matches.
func IsTokensNotFound(err error) bool {
	var taskErr *TaskError
	return errors.As(err, &taskErr) &&
		taskErr.Task.Status == StatusFailed &&
		strings.HasPrefix(taskErr.Task.ErrorMessage, "Tokens not found in index")
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
	return msg + ": " + e.Err.Error()
}

func (e *WaitError) Unwrap() error { return e.Err }
