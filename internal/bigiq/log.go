package bigiq

import (
	"context"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// logSubsystem is the tflog subsystem of BIG-IQ HTTP traffic. Its level
// follows TF_LOG_PROVIDER_BIGIQ_HTTP, falling back to the provider's.
const logSubsystem = "bigiq_http"

// maxLoggedBody bounds how much of a response body a trace log line carries.
const maxLoggedBody = 4096

// logContext adds the HTTP subsystem to ctx. Subsystems do not inherit the
// masks of the root logger, so the secrets are masked here as well: by field
// name, and by value wherever they might appear (a message, a body).
func (c *Client) logContext(ctx context.Context) context.Context {
	ctx = tflog.NewSubsystem(ctx, logSubsystem, tflog.WithLevelFromEnv("TF_LOG_PROVIDER_BIGIQ_HTTP"))
	ctx = tflog.SubsystemMaskFieldValuesWithFieldKeys(ctx, logSubsystem, "password", "token")
	if secrets := c.secrets(); len(secrets) > 0 {
		ctx = tflog.SubsystemMaskLogStrings(ctx, logSubsystem, secrets...)
	}
	return ctx
}

// secrets lists the values that must never be logged. It reads the token
// without the auth mutex: logContext runs inside a login, which holds it.
func (c *Client) secrets() []string {
	var s []string
	for _, v := range []string{c.cfg.Password, c.cfg.Token, c.cfg.RefreshToken, c.loadToken(), c.loadRefreshToken()} {
		if v != "" {
			s = append(s, v)
		}
	}
	return s
}

type startTimeKey struct{}

func (c *Client) logRequest(_ *resty.Client, r *resty.Request) error {
	ctx := context.WithValue(r.Context(), startTimeKey{}, time.Now())
	r.SetContext(ctx)
	tflog.SubsystemDebug(ctx, logSubsystem, "BIG-IQ request", map[string]any{
		"method": r.Method,
		"url":    r.URL,
	})
	return nil
}

func (c *Client) logResponse(_ *resty.Client, resp *resty.Response) error {
	ctx := resp.Request.Context()
	fields := map[string]any{
		"method": resp.Request.Method,
		"url":    resp.Request.URL,
		"status": resp.StatusCode(),
		"bytes":  answerSize(resp),
	}
	if start, ok := ctx.Value(startTimeKey{}).(time.Time); ok {
		fields["duration_ms"] = time.Since(start).Milliseconds()
	}
	tflog.SubsystemDebug(ctx, logSubsystem, "BIG-IQ response", fields)
	if tflog.SubsystemIsTrace(ctx, logSubsystem) && !strings.Contains(resp.Request.URL, PathLogin) && !strings.Contains(resp.Request.URL, PathExchange) && len(bodyOf(resp)) > 0 {
		body := bodyOf(resp)
		if len(body) > maxLoggedBody {
			body = body[:maxLoggedBody]
		}
		tflog.SubsystemTrace(ctx, logSubsystem, "BIG-IQ response body", map[string]any{"body": string(body)})
	}
	return nil
}

func (c *Client) logRetry(resp *resty.Response, err error) {
	if resp == nil || resp.Request == nil {
		return
	}
	fields := map[string]any{
		"method":  resp.Request.Method,
		"url":     resp.Request.URL,
		"attempt": resp.Request.Attempt,
	}
	if err != nil {
		fields["error"] = err.Error()
	} else {
		fields["status"] = resp.StatusCode()
	}
	tflog.SubsystemWarn(resp.Request.Context(), logSubsystem, "retrying BIG-IQ request", fields)
}
