package bigiqmock

import "net/http"

// errorBody is BIG-IQ's error shape, the same on every endpoint.
type errorBody struct {
	Code                int      `json:"code"`
	Message             string   `json:"message"`
	OriginalRequestBody string   `json:"originalRequestBody,omitempty"`
	Referer             string   `json:"referer"`
	RestOperationID     int64    `json:"restOperationId"`
	ErrorStack          []string `json:"errorStack"`
	Kind                string   `json:"kind"`
}

// javaException names the exception BIG-IQ's Java framework would throw for
// a status, so the errorStack looks like the real one.
func javaException(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "java.lang.IllegalArgumentException"
	case http.StatusUnauthorized:
		return "com.f5.rest.common.RestWorkerAuthorizationException"
	case http.StatusNotFound:
		return "com.f5.rest.common.RestWorkerUriNotFoundException"
	default:
		return "com.f5.rest.common.RestOperationException"
	}
}

// reply is an answer built while the mock's lock is held and written after
// it is released, so no handler unlocks by hand and none writes to a slow
// client while holding the lock.
type reply struct {
	status int
	body   []byte
}

func (rp reply) write(w http.ResponseWriter) { writeRawJSON(w, rp.status, rp.body) }

func okReply(v any) reply { return reply{http.StatusOK, mustJSON(v)} }

// writeError sends BIG-IQ's error body. originalBody, if any, is echoed as
// originalRequestBody, as BIG-IQ does for rejected input.
func (m *Mock) writeError(w http.ResponseWriter, r *http.Request, status int, message string, originalBody []byte) {
	m.errorReply(r, status, message, originalBody).write(w)
}

// errorReply is BIG-IQ's error body for a request, as a reply.
func (m *Mock) errorReply(r *http.Request, status int, message string, originalBody []byte) reply {
	return reply{status, mustJSON(errorBody{
		Code:                status,
		Message:             message,
		OriginalRequestBody: string(originalBody),
		Referer:             remoteHost(r),
		RestOperationID:     m.restOperationID.Add(1),
		ErrorStack: []string{
			javaException(status) + ": " + message,
			"at com.f5.rest.common.RestOperation.fail(RestOperation.java:1091)",
			"at com.f5.rest.common.RestWorker.failRequest(RestWorker.java:1408)",
			"at com.f5.rest.common.RestServer.processRequest(RestServer.java:1132)",
			"at java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:617)",
		},
		Kind: kindError,
	})}
}

// writeUnavailable imitates the web server in front of BIG-IQ's REST
// framework answering 503 while restjavad is down: not a JSON body.
func writeUnavailable(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
	w.WriteHeader(status)
	_, _ = w.Write([]byte("<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>503 Service Unavailable</title>\n</head><body>\n<h1>Service Unavailable</h1>\n<p>The server is temporarily unable to service your\nrequest due to maintenance downtime or capacity\nproblems. Please try again later.</p>\n</body></html>\n"))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	writeRawJSON(w, status, mustJSON(v))
}

func writeRawJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
