package provider

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// historyMock is a mock BIG-IQ whose clock the test sets, so that tasks in
// its history start when, and in which zone, the test says.
type historyMock struct {
	*bigiqmock.Server
	mu  sync.Mutex
	now time.Time
}

func startHistoryMock(t *testing.T, opts bigiqmock.Options) *historyMock {
	t.Helper()
	m := &historyMock{now: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
	opts.Now = func() time.Time {
		m.mu.Lock()
		defer m.mu.Unlock()
		return m.now
	}
	opts.TaskDuration = time.Minute
	opts.TokenTTL = 24 * time.Hour
	m.Server = bigiqmock.Start(t, opts)
	return m
}

func (m *historyMock) setNow(at time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.now = at
}

// startAt starts a task as the BIG-IQ account at the given time.
func (m *historyMock) startAt(t *testing.T, at time.Time, account, body string) string {
	t.Helper()
	m.setNow(at)
	id, err := m.StartTaskAs(account, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

var pdt = time.FixedZone("PDT", -7*3600)

// The history most tests read: alice's task written in PDT (17:00Z), bob's
// at 12:00Z, and a client id task at 18:00Z, all finished.
const (
	aliceOnBlueBody = `{"action":"REVOKE_TOKEN_FOR_USER","userName":"alice","clusterNames":["BlueCluster"]}`
	bobOnGroupBody  = `{"action":"REVOKE_TOKEN_FOR_USER","userName":"bob","accessGroupNames":["TestGroup2"]}`
	clientOnRedBody = `{"action":"REVOKE_TOKEN_FOR_CLIENT_ID","clientId":"` + redCalendarClientID + `","deviceReferences":[{"link":"https://localhost/mgmt/cm/system/machineid-resolver/` + redDeviceID + `"}]}`
	listOnRedBody   = `{"action":"REVOKE_LIST_OF_TOKENS","perDeviceOauthIds":[{"deviceReference":{"link":"https://localhost/mgmt/cm/system/machineid-resolver/` + redDeviceID + `"},"oauthIds":[{"id":"` + redBobToken + `","clientId":"` + redCalendarClientID + `"}]}],"deviceReferences":[{"link":"https://localhost/mgmt/cm/system/machineid-resolver/` + redDeviceID + `"}]}`
)

type history struct{ alice, bob, client string }

func (m *historyMock) standardHistory(t *testing.T) history {
	t.Helper()
	h := history{
		alice:  m.startAt(t, time.Date(2026, 11, 20, 10, 0, 0, 0, pdt), "ops", aliceOnBlueBody),
		bob:    m.startAt(t, time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC), "admin", bobOnGroupBody),
		client: m.startAt(t, time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC), "admin", clientOnRedBody),
	}
	m.setNow(time.Date(2026, 11, 20, 19, 0, 0, 0, time.UTC))
	return h
}

// collectionGETs counts the GETs of the task collection (not of one task).
func collectionGETs(m *bigiqmock.Server) []bigiqmock.Request {
	var out []bigiqmock.Request
	for _, r := range m.Requests() {
		if r.Method == http.MethodGet && r.Path == revokeTasksPath {
			out = append(out, r)
		}
	}
	return out
}

// protocolProvider is the provider as Terraform sees it, configured for the
// mock, with its schemas.
type protocolProvider struct {
	tfprotov6.ProviderServer
	schemas *tfprotov6.GetProviderSchemaResponse
}

func newProtocolProvider(t *testing.T, mock *bigiqmock.Server) protocolProvider {
	t.Helper()
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	p := protocolProvider{server, schemas}
	config := schemaObject(t, schemas.Provider, map[string]tftypes.Value{
		"address":        tftypes.NewValue(tftypes.String, mock.URL),
		"username":       tftypes.NewValue(tftypes.String, "admin"),
		"password":       tftypes.NewValue(tftypes.String, "admin"),
		"ca_certificate": tftypes.NewValue(tftypes.String, mock.CACertPEM()),
	})
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: config})
	if err != nil {
		t.Fatal(err)
	}
	requireNoErrors(t, resp.Diagnostics)
	return p
}

// schemaObject is a value of schema's type with the given attributes set
// and every other one null, as a configuration that sets only those would be.
func schemaObject(t *testing.T, schema *tfprotov6.Schema, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	v, err := tfprotov6.NewDynamicValue(schema.ValueType(), objectValue(t, schema.ValueType(), set))
	if err != nil {
		t.Fatal(err)
	}
	return &v
}

func objectValue(t *testing.T, typ tftypes.Type, set map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", typ)
	}
	attrs := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		if v, ok := set[name]; ok {
			attrs[name] = v
		} else {
			attrs[name] = tftypes.NewValue(at, nil)
		}
	}
	for name := range set {
		if _, ok := obj.AttributeTypes[name]; !ok {
			t.Fatalf("test bug: %s has no attribute %q", typ, name)
		}
	}
	return tftypes.NewValue(obj, attrs)
}

func requireNoErrors(t *testing.T, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("%s: %s", d.Summary, d.Detail)
		}
	}
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// attrs reads the attributes of an object value.
func attrs(t *testing.T, v tftypes.Value) map[string]tftypes.Value {
	t.Helper()
	var out map[string]tftypes.Value
	if err := v.As(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func stringOf(t *testing.T, v tftypes.Value) string {
	t.Helper()
	var s *string
	if err := v.As(&s); err != nil {
		t.Fatal(err)
	}
	if s == nil {
		return "<null>"
	}
	return *s
}

// timeAt is a time on the day of the test history, in UTC.
func timeAt(hour int) time.Time {
	return time.Date(2026, 11, 20, hour, 0, 0, 0, time.UTC)
}
