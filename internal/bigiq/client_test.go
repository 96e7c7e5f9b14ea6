package bigiq

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

const (
	bluebigip = "98901455-6384-47cd-bc41-00a39dfe338f"
	redbigip  = "901695c8-f405-489f-9996-54f7b21da642"
)

// newTestClient returns a client of the mock s that retries without
// waiting, so retry tests take no time.
func newTestClient(t *testing.T, s *bigiqmock.Server, edit ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{Address: s.URL, Username: "admin", Password: "admin", CACertificatePEM: s.CACertPEM(), UserAgent: "test"}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.http.SetRetryWaitTime(time.Millisecond).SetRetryMaxWaitTime(2 * time.Millisecond)
	return c
}

// sent returns the requests the mock received for method and path.
func sent(s *bigiqmock.Server, method, path string) []bigiqmock.Request {
	var out []bigiqmock.Request
	for _, r := range s.Requests() {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

func TestListDevicesDecodesTheDocumentedDevice(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)

	devices, err := c.ListDevices(context.Background(), []string{"10.255.4.124"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Device{{
		UUID: bluebigip, MachineID: bluebigip, Hostname: "bluebigipveha1.labf.com",
		Address: "10.255.4.124", ManagementAddress: "10.192.123.69", DeviceURI: "https://10.192.123.69:443",
		HTTPSPort: 443, State: "ACTIVE", Product: "BIG-IP", Version: "12.1.0", Build: "0.0.1354",
		ClusterName: "BlueCluster", AccessGroupName: "TestGroup", IsClustered: false, IsVirtual: true,
		TrustEstablished: true, AccessDiscovered: true, AccessImported: true,
		SelfLink: DeviceLinkPrefix + bluebigip,
	}}
	if !reflect.DeepEqual(devices, want) {
		t.Errorf("devices =\n%+v\nwant\n%+v", devices, want)
	}
	reqs := sent(s, http.MethodGet, PathDevices)
	if len(reqs) != 1 {
		t.Fatalf("%d device requests; want 1", len(reqs))
	}
	if got := reqs[0].Query.Get("$filter"); got != "('address' eq '10.255.4.124')" {
		t.Errorf("$filter = %q", got)
	}
	if !strings.HasPrefix(reqs[0].RawQuery, "$filter=") {
		t.Errorf("query %q does not name $filter literally, as BIG-IQ writes it", reqs[0].RawQuery)
	}
}

func TestListDevicesQuotesHostileFilterValues(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)

	hostile := []string{"x' or 'address' ne 'y", "10.255.4.124') or ('a' eq 'a"}
	devices, err := c.ListDevices(context.Background(), hostile)
	if err != nil {
		t.Fatal(err)
	}
	if len(devices) != 0 {
		t.Errorf("a hostile value matched %d devices: it changed the filter", len(devices))
	}
	got := sent(s, http.MethodGet, PathDevices)[0].Query.Get("$filter")
	want := "('address' eq 'x'' or ''address'' ne ''y' or 'address' eq '10.255.4.124'') or (''a'' eq ''a')"
	if got != want {
		t.Errorf("$filter = %q\nwant      %q", got, want)
	}
}

func TestListFollowsEveryPage(t *testing.T) {
	t.Parallel()
	fixture := bigiqmock.GenerateFixture(23, 2, 0, 1)
	for name, setup := range map[string]struct{ pageSize, mockCap, wantRequests int }{
		"skip paging":       {pageSize: 5, wantRequests: 5},
		"nextLink paging":   {pageSize: 50, mockCap: 4, wantRequests: 6},
		"exact page border": {pageSize: 23, wantRequests: 1},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := bigiqmock.Start(t, bigiqmock.Options{Fixture: fixture, MaxPageSize: setup.mockCap})
			c := newTestClient(t, s)
			c.pageSize = setup.pageSize

			devices, err := c.ListDevices(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, d := range devices {
				seen[d.MachineID] = true
			}
			if len(devices) != 23 || len(seen) != 23 {
				t.Errorf("read %d devices (%d distinct); want 23", len(devices), len(seen))
			}
			if got := len(sent(s, http.MethodGet, PathDevices)); got != setup.wantRequests {
				t.Errorf("%d page requests; want %d", got, setup.wantRequests)
			}
			apps, err := c.ListOAuthClientApps(context.Background(), "")
			if err != nil || len(apps) != 46 {
				t.Errorf("read %d apps, %v; want 46", len(apps), err)
			}
		})
	}
}

func TestListOAuthClientAppsOfOneDevice(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)

	apps, err := c.ListOAuthClientApps(context.Background(), bluebigip)
	if err != nil {
		t.Fatal(err)
	}
	want := []OAuthClientApp{
		{AppName: "Shutterfly", ClientID: "89923892aed8eb142a8871058da9005056b09ae221df6a57", Name: "shutterfly-client"},
		{AppName: "Maps", ClientID: "5b3e8851b1d872feed3086484141005056b09ae2d5277c57", Name: "maps-client"},
	}
	if !reflect.DeepEqual(apps, want) {
		t.Errorf("apps = %+v; want %+v", apps, want)
	}
	q := sent(s, http.MethodGet, PathOAuthApps)[0].Query
	if q.Get("$filter") != "'lsoDeviceReference/machineId' eq '"+bluebigip+"'" || q.Get("$select") != "appName,name,clientId" {
		t.Errorf("query = %v", q)
	}
}

func TestListAccessGroups(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)

	groups, err := c.ListAccessGroups(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, g := range groups {
		names[g.GroupName] = g.DisplayName
	}
	if len(groups) != 3 || names["GreenGroup"] != "Green Group" || names["TestGroup"] != "TestGroup" {
		t.Errorf("groups = %+v", groups)
	}
	q := sent(s, http.MethodGet, PathDeviceGroups)[0].Query
	if q.Get("$filter") != "'properties/cm:access:access_group' eq 'true'" || q.Get("$select") != "groupName,displayName" {
		t.Errorf("query = %v", q)
	}
}

func TestStartRevokeTaskSendsExactlyTheRequest(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		req  RevokeRequest
		body string
	}{
		"user by cluster and group": {
			req:  RevokeRequest{Action: ActionRevokeForUser, UserName: "user1", ClusterNames: []string{"BlueCluster"}, AccessGroupNames: []string{"TestGroup"}},
			body: `{"action":"REVOKE_TOKEN_FOR_USER","userName":"user1","accessGroupNames":["TestGroup"],"clusterNames":["BlueCluster"]}`,
		},
		"client by device": {
			req:  RevokeRequest{Action: ActionRevokeForClientID, ClientID: "e3f3e720", DeviceReferences: []Reference{{Link: DeviceLinkPrefix + redbigip}}},
			body: `{"action":"REVOKE_TOKEN_FOR_CLIENT_ID","clientId":"e3f3e720","deviceReferences":[{"link":"https://localhost/mgmt/cm/system/machineid-resolver/` + redbigip + `"}]}`,
		},
		"list of tokens": {
			req: RevokeRequest{Action: ActionRevokeList, PerDeviceOAuthIDs: []DeviceOAuthIDs{{
				DeviceReference: Reference{Link: DeviceLinkPrefix + redbigip},
				OAuthIDs:        []OAuthID{{ID: "da6d57ff", ClientID: "e3f3e720"}, {ID: "0df998ae"}},
			}}, DeviceReferences: []Reference{{Link: DeviceLinkPrefix + redbigip}}},
			body: `{"action":"REVOKE_LIST_OF_TOKENS","perDeviceOauthIds":[{"oauthIds":[{"id":"da6d57ff","clientId":"e3f3e720"},{"id":"0df998ae"}],"deviceReference":{"link":"https://localhost/mgmt/cm/system/machineid-resolver/` + redbigip + `"}}],"deviceReferences":[{"link":"https://localhost/mgmt/cm/system/machineid-resolver/` + redbigip + `"}]}`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := bigiqmock.Start(t, bigiqmock.Options{})
			c := newTestClient(t, s)

			task, err := c.StartRevokeTask(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			posts := sent(s, http.MethodPost, PathRevokeTasks)
			if len(posts) != 1 {
				t.Fatalf("%d POSTs; want 1", len(posts))
			}
			if got := string(bytes.TrimSpace(posts[0].Body)); got != tc.body {
				t.Errorf("body =\n%s\nwant\n%s", got, tc.body)
			}
			if ct := posts[0].Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if task.Status != StatusStarted || task.ID == "" || task.Action != tc.req.Action ||
				task.SelfLink != "https://localhost"+PathRevokeTasks+"/"+task.ID || task.Username != "admin" {
				t.Errorf("task = %+v", task)
			}
		})
	}
}

func TestStartRevokeTaskRefusedSynchronously(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)

	_, err := c.StartRevokeTask(context.Background(), RevokeRequest{Action: ActionRevokeForUser, UserName: "user1"})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 ||
		apiErr.Message != "Request should have atleast one of these fields populated: accessGroupNames , clusterNames , machineIds " {
		t.Fatalf("err = %v", err)
	}
	if len(s.TaskIDs()) != 0 || s.CountRequests(http.MethodPost, PathRevokeTasks) != 1 {
		t.Error("a refused request was retried or made a task")
	}
}

func TestOneLoginSharedByConcurrentCallers(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	ctx := context.Background()

	burst := func() {
		var wg sync.WaitGroup
		errs := make(chan error, 50)
		for range 50 {
			wg.Go(func() {
				if _, err := c.ListAccessGroups(ctx); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}
	burst()
	if s.Logins() != 1 || c.Logins() != 1 {
		t.Fatalf("50 parallel first calls caused %d logins; want 1", s.Logins())
	}
	s.ExpireAuthTokens()
	burst()
	if s.Logins() != 2 {
		t.Errorf("50 parallel calls after expiry caused %d more logins; want 1", s.Logins()-1)
	}
	login := sent(s, http.MethodPost, PathLogin)[0]
	var body map[string]string
	if err := json.Unmarshal(login.Body, &body); err != nil || !reflect.DeepEqual(body, map[string]string{
		"username": "admin", "password": "admin", "loginProviderName": "local",
	}) {
		t.Errorf("login body = %s", login.Body)
	}
	for _, r := range s.Requests() {
		if r.Path != PathLogin && r.Header.Get(authHeader) == "" {
			t.Fatalf("%s %s was sent without %s", r.Method, r.Path, authHeader)
		}
	}
}

func TestLoginFailureNamesUserNotPassword(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s, func(cfg *Config) { cfg.Password = "hunter2-wrong" })

	_, err := c.ListAccessGroups(context.Background())
	if err == nil || !strings.Contains(err.Error(), `user "admin"`) || !strings.Contains(err.Error(), `login provider "local"`) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("the password reached the error: %v", err)
	}
	if n := s.CountRequests(http.MethodGet, ""); n != 0 {
		t.Errorf("%d GETs were sent without a login", n)
	}
}

func TestPreIssuedToken(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	issuer := newTestClient(t, s)
	if _, err := issuer.ListAccessGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	token := s.LiveAuthTokens()[0]

	c := newTestClient(t, s, func(cfg *Config) { cfg.Username, cfg.Password, cfg.Token = "", "", token })
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(context.Background()); err != nil || s.FreedAuthTokens() != 0 {
		t.Errorf("Close freed a token the client does not own (%v, %d freed)", err, s.FreedAuthTokens())
	}
	s.ExpireAuthTokens()
	_, err := c.ListAccessGroups(context.Background())
	if err == nil || !strings.Contains(err.Error(), "pre-issued auth token") || strings.Contains(err.Error(), token) {
		t.Errorf("err = %v", err)
	}
	if s.Logins() != 1 {
		t.Errorf("a client with a pre-issued token logged in")
	}
}

func TestCloseFreesTheToken(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	if err := c.Close(context.Background()); err != nil || s.FreedAuthTokens() != 0 {
		t.Fatalf("Close before any login: %v, %d freed", err, s.FreedAuthTokens())
	}
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s.FreedAuthTokens() != 1 || len(s.LiveAuthTokens()) != 0 {
		t.Errorf("freed %d tokens, %d live; want 1 freed, none live", s.FreedAuthTokens(), len(s.LiveAuthTokens()))
	}
}

func TestGetRetriesTransientFailures(t *testing.T) {
	t.Parallel()
	for _, status := range []int{429, 502, 503, 504} {
		s := bigiqmock.Start(t, bigiqmock.Options{})
		c := newTestClient(t, s)
		s.FailNext(http.MethodGet, PathDeviceGroups, 2, status)
		if _, err := c.ListAccessGroups(context.Background()); err != nil {
			t.Fatalf("%d twice: %v", status, err)
		}
		if n := len(sent(s, http.MethodGet, PathDeviceGroups)); n != 3 {
			t.Errorf("%d twice: %d GETs; want 3", status, n)
		}
	}

	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	s.DropNext(http.MethodGet, PathDeviceGroups, 2)
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatalf("dropped connections were not retried: %v", err)
	}

	s.FailNext(http.MethodGet, PathDeviceGroups, 1, 500)
	if _, err := c.ListAccessGroups(context.Background()); err == nil {
		t.Error("a 500 was retried into success; it is not transient for a GET of a collection")
	}
}

func TestGetRetriesAreBounded(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s, func(cfg *Config) { cfg.MaxRetries = new(2) })
	s.FailNext(http.MethodGet, PathDeviceGroups, 10, 503)
	_, err := c.ListAccessGroups(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Fatalf("err = %v", err)
	}
	if n := len(sent(s, http.MethodGet, PathDeviceGroups)); n != 3 {
		t.Errorf("%d GETs; want 1 + 2 retries", n)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	c.http.SetRetryMaxWaitTime(5 * time.Second)
	s.FailNextRetryAfter(http.MethodGet, PathDeviceGroups, 1, 503, time.Second)
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	reqs := sent(s, http.MethodGet, PathDeviceGroups)
	if gap := reqs[1].Time.Sub(reqs[0].Time); gap < 900*time.Millisecond {
		t.Errorf("retried after %v; Retry-After asked for 1s", gap)
	}
}

func TestTaskPostIsNeverDuplicated(t *testing.T) {
	t.Parallel()
	req := RevokeRequest{Action: ActionRevokeForUser, UserName: "user1", ClusterNames: []string{"BlueCluster"}}

	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	s.FailNext(http.MethodPost, PathRevokeTasks, 1, 500)
	if _, err := c.StartRevokeTask(context.Background(), req); err == nil || len(s.TaskIDs()) != 0 {
		t.Errorf("a 500 on POST was retried (err %v, %d tasks)", err, len(s.TaskIDs()))
	}
	s.FailNext(http.MethodPost, PathRevokeTasks, 1, 503)
	if _, err := c.StartRevokeTask(context.Background(), req); err != nil {
		t.Errorf("a 503 on POST (nothing done) was not retried: %v", err)
	}
	if n := len(s.TaskIDs()); n != 1 {
		t.Errorf("%d tasks exist; want exactly the one from the retried 503", n)
	}
}

// TestLostPostAnswerBeforeBIGIQActed: the connection drops before BIG-IQ
// reads the POST. No task exists, so the POST is sent again.
func TestLostPostAnswerBeforeBIGIQActed(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	s.DropNext(http.MethodPost, PathRevokeTasks, 1)

	task, err := c.StartRevokeTask(context.Background(), revokeUser1OnBlue)
	if err != nil {
		t.Fatal(err)
	}
	if ids := s.TaskIDs(); len(ids) != 1 || ids[0] != task.ID {
		t.Errorf("tasks %v; want only %s", ids, task.ID)
	}
	if posts, lists := len(sent(s, http.MethodPost, PathRevokeTasks)), len(sent(s, http.MethodGet, PathRevokeTasks)); posts != 2 || lists != 1 {
		t.Errorf("%d POSTs and %d task list reads; want the lost POST, one search, one resend", posts, lists)
	}
}

// TestLostPostAnswerAfterBIGIQActed: BIG-IQ starts the task and the answer
// is lost on the way back. The client finds that task instead of starting
// a second one, and does not take an older identical task for it.
func TestLostPostAnswerAfterBIGIQActed(t *testing.T) {
	t.Parallel()
	m := bigiqmock.New(bigiqmock.Options{TaskDuration: time.Hour})
	var dropped atomic.Bool
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == PathRevokeTasks && dropped.CompareAndSwap(false, true) {
			m.ServeHTTP(httptest.NewRecorder(), r) // BIG-IQ acts...
			hijacker, ok := w.(http.Hijacker)
			if !ok {
				t.Error("the test server cannot drop a connection")
				return
			}
			conn, _, _ := hijacker.Hijack()
			conn.Close() // ...and the answer is lost.
			return
		}
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	c, err := NewClient(Config{Address: srv.URL, Username: "admin", Password: "admin", CACertificatePEM: caPEM})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	reordered := RevokeRequest{Action: ActionRevokeForUser, UserName: "user1", ClusterNames: []string{"RedCluster", "BlueCluster"}}
	older, err := c.StartRevokeTask(ctx, reordered)
	if err != nil {
		t.Fatal(err)
	}
	dropped.Store(false)
	c.claimed = map[string]bool{} // as if the older task came from an earlier run

	time.Sleep(recentTaskSlack + time.Second) // the older task is now "before the POST"
	task, err := c.StartRevokeTask(ctx, RevokeRequest{Action: ActionRevokeForUser, UserName: "user1", ClusterNames: []string{"BlueCluster", "RedCluster"}})
	if err != nil {
		t.Fatal(err)
	}
	ids := m.TaskIDs()
	if len(ids) != 2 || task.ID != ids[1] || task.ID == older.ID {
		t.Errorf("got task %s; tasks %v; want the second, and no third", task.ID, ids)
	}
}

func TestTaskPostRetriedAfterRelogin(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.ExpireAuthTokens()
	if _, err := c.StartRevokeTask(context.Background(), RevokeRequest{Action: ActionRevokeForUser, UserName: "bob", ClusterNames: []string{"BlueCluster"}}); err != nil {
		t.Fatal(err)
	}
	if len(s.TaskIDs()) != 1 || s.Logins() != 2 {
		t.Errorf("%d tasks, %d logins; want 1 task and a second login", len(s.TaskIDs()), s.Logins())
	}
}

func TestTLSIsVerified(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})

	c := newTestClient(t, s, func(cfg *Config) { cfg.CACertificatePEM = "" })
	_, err := c.ListAccessGroups(context.Background())
	if err == nil || !strings.Contains(err.Error(), "ca_certificate") {
		t.Fatalf("an unverifiable certificate gave %v", err)
	}
	if s.Logins() != 0 {
		t.Error("a login went through an unverified connection")
	}

	c = newTestClient(t, s, func(cfg *Config) { cfg.CACertificatePEM, cfg.Insecure = "", true })
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Errorf("insecure: %v", err)
	}
}

func TestNewClientRefusesBadConfig(t *testing.T) {
	t.Parallel()
	for name, cfg := range map[string]Config{
		"no address":        {Username: "a", Password: "b"},
		"http address":      {Address: "http://bigiq", Username: "a", Password: "b"},
		"no credentials":    {Address: "bigiq"},
		"no password":       {Address: "bigiq", Username: "a"},
		"token and pw":      {Address: "bigiq", Token: "t", Username: "a", Password: "b"},
		"bad CA":            {Address: "bigiq", Token: "t", CACertificatePEM: "nope"},
		"address with path": {Address: "https://bigiq/mgmt", Token: "t"},
	} {
		if _, err := NewClient(cfg); err == nil {
			t.Errorf("%s: NewClient accepted %+v", name, cfg)
		}
	}
}

// TestRefusedConnectionsAreRecognised checks the one transport error after
// which even a POST may be sent again: nothing was listening to act on it.
func TestRefusedConnectionsAreRecognised(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, dialErr := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if dialErr == nil {
		t.Skip("the closed port was reused")
	}
	if !refused(dialErr) || !retryIfUnacted(nil, dialErr) {
		t.Errorf("a refused dial (%v) is not recognised as unacted", dialErr)
	}
	if refused(io.ErrUnexpectedEOF) || retryIfUnacted(nil, io.ErrUnexpectedEOF) {
		t.Error("a connection lost mid-request counts as refused")
	}
}

func TestLoginRetriedWhenItsAnswerIsLost(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	s.DropNext(http.MethodPost, PathLogin, 2)
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(sent(s, http.MethodPost, PathLogin)); n != 3 || s.Logins() != 1 {
		t.Errorf("%d login POSTs, %d logins; want two lost and one that worked", n, s.Logins())
	}
}

// TestRenewsAgainWhenTheReplayIsRefused: the token a replay carries can
// expire before it arrives; the request renews again instead of failing,
// and gives up after a few refusals.
func TestRenewsAgainWhenTheReplayIsRefused(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.FailNext(http.MethodGet, PathDeviceGroups, 2, http.StatusUnauthorized)
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatalf("two refusals in a row: %v", err)
	}
	if s.Logins() != 3 {
		t.Errorf("%d logins; want the first and one per refusal", s.Logins())
	}

	s.FailNext(http.MethodGet, PathDeviceGroups, 10, http.StatusUnauthorized)
	_, err := c.ListAccessGroups(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized {
		t.Fatalf("err = %v", err)
	}
	if got := s.Logins() - 3; got != maxRenewals {
		t.Errorf("%d logins for one endlessly refused request; want %d", got, maxRenewals)
	}
}

// TestUnsettledPostIsReportedAsSuch: the POST's answer is lost and the task
// list cannot be read either, so whether a task exists is unknown, and the
// error must say so rather than claim nothing happened.
func TestUnsettledPostIsReportedAsSuch(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s, func(cfg *Config) { cfg.MaxRetries = new(1) })
	s.DropNext(http.MethodPost, PathRevokeTasks, 1)
	s.FailNext(http.MethodGet, PathRevokeTasks, 10, http.StatusServiceUnavailable)
	_, err := c.StartRevokeTask(context.Background(), revokeUser1OnBlue)
	if !MayHaveActed(err) || !strings.Contains(err.Error(), "looking for the task it may have started also failed") {
		t.Fatalf("err = %v", err)
	}
	if MayHaveActed(parseAPIError("POST", PathRevokeTasks, 400, nil)) {
		t.Error("a refused POST counts as one that may have acted")
	}
}

// TestZeroRetriesMeansNone: a request that fails once is not sent again when
// the caller asks for no retries, and a negative count is refused.
func TestZeroRetriesMeansNone(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s, func(cfg *Config) { cfg.MaxRetries = new(0) })
	s.FailNext(http.MethodGet, PathDeviceGroups, 1, http.StatusServiceUnavailable)
	if _, err := c.ListAccessGroups(context.Background()); err == nil {
		t.Fatal("a 503 was retried although retries are off")
	}
	if n := len(sent(s, http.MethodGet, PathDeviceGroups)); n != 1 {
		t.Errorf("%d GETs; want 1", n)
	}
	if _, err := NewClient(Config{Address: "bigiq", Token: "t", MaxRetries: new(-1)}); err == nil {
		t.Error("a negative retry count was accepted")
	}
}
