package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func waitForFile(t *testing.T, path string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if data, err := os.ReadFile(path); err == nil {
			return strings.TrimSpace(string(data))
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s never appeared", path)
	return ""
}

func send(t *testing.T, client *http.Client, method, url, body, authToken string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	if authToken != "" {
		req.Header.Set("X-F5-Auth-Token", authToken)
	}
	return client.Do(req)
}

func TestServeAndShutDown(t *testing.T) {
	dir := t.TempDir()
	urlFile, caFile := filepath.Join(dir, "url"), filepath.Join(dir, "ca.pem")
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-url-out", urlFile, "-ca-out", caFile, "-task-duration", "1ms"}, &out)
	}()

	url := waitForFile(t, urlFile)
	pool := x509.NewCertPool()
	ca, _ := os.ReadFile(caFile)
	if !strings.HasPrefix(url, "https://127.0.0.1:") || !pool.AppendCertsFromPEM(ca) {
		t.Fatalf("url %q, CA %q", url, ca)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}

	login, err := send(t, client, http.MethodPost, url+"/mgmt/shared/authn/login", `{"username":"admin","password":"admin"}`, "")
	if err != nil {
		t.Fatal(err)
	}
	var session struct{ Token struct{ Token string } }
	_ = json.NewDecoder(login.Body).Decode(&session)
	login.Body.Close()

	resp, err := send(t, client, http.MethodPost, url+"/mgmt/cm/access/tasks/revoke-tokens",
		`{"action":"REVOKE_TOKEN_FOR_USER","userName":"bob","clusterNames":["RedCluster"]}`, session.Token.Token)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("start task: %v %v", err, resp)
	}
	resp.Body.Close()
	time.Sleep(5 * time.Millisecond) // the 1ms task is over

	resp, err = send(t, client, http.MethodGet, url+"/mock/tokens", "", "")
	if err != nil {
		t.Fatal(err)
	}
	var listing struct {
		Devices []struct {
			MachineID string
			Tokens    []bigiqmock.Token
		}
	}
	_ = json.NewDecoder(resp.Body).Decode(&listing)
	resp.Body.Close()
	for _, d := range listing.Devices {
		for _, tok := range d.Tokens {
			if tok.UserName == "bob" && d.MachineID == "901695c8-f405-489f-9996-54f7b21da642" {
				t.Errorf("bob's token on RedCluster survived: %+v", tok)
			}
		}
	}
	if !strings.Contains(out.String(), "revoked token") || !strings.Contains(out.String(), "of user bob") {
		t.Errorf("events not printed: %s", out.String())
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("did not shut down")
	}
	if resp, err := send(t, client, http.MethodGet, url+"/mock/tokens", "", ""); err == nil {
		resp.Body.Close()
		t.Error("still serving after shutdown")
	}
}

func TestWriteGeneratedFixture(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fixture.json")
	if err := run(context.Background(), []string{"-generate", "devices=8,apps=2,tokens=3", "-seed", "5", "-write-fixture", path}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	f, err := bigiqmock.LoadFixture(path)
	if err != nil {
		t.Fatal(err)
	}
	want := bigiqmock.GenerateFixture(8, 2, 3, 5)
	if len(f.Devices) != 8 || f.Devices[7].UUID != want.Devices[7].UUID || len(f.Devices[0].Tokens) != 3 || len(f.Devices[0].ClientApps) != 2 {
		t.Errorf("written fixture does not round-trip: %+v", f.Devices[0])
	}
}

func TestDeviceShapeFlag(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fixture.json")
	if err := run(context.Background(), []string{"-generate", "devices=4", "-device-shape", "8", "-write-fixture", path}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	f, err := bigiqmock.LoadFixture(path)
	if err != nil {
		t.Fatal(err)
	}
	if f.DeviceShape != bigiqmock.DeviceShape8 || len(f.Devices) != 4 {
		t.Errorf("deviceShape %q, %d devices", f.DeviceShape, len(f.Devices))
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-generate", "devices=0"},
		{"-generate", "devices=3,users=2"},
		{"-generate", "devices=x"},
		{"-generate", "devices=3,tokens=2"},
		{"-generate", "devices=3", "-device-shape", "9"},
		{"-fixture", "a.json", "-generate", "devices=1"},
		{"-fixture", filepath.Join(t.TempDir(), "missing.json")},
		{"-tls=false", "-ca-out", filepath.Join(t.TempDir(), "ca.pem"), "-addr", "127.0.0.1:0"},
		{"extra"},
	} {
		if err := run(context.Background(), args, &bytes.Buffer{}); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}

func TestExampleFixture(t *testing.T) {
	// -write-fixture round-trips the commented example into plain JSON
	// that loads again, so users can start from either.
	path := filepath.Join(t.TempDir(), "fixture.json")
	if err := run(context.Background(), []string{"-fixture", "../../examples/mock/fixture.json", "-write-fixture", path}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	f, err := bigiqmock.LoadFixture(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Devices) != 4 || f.Devices[0].Hostname != "bigip-prod-a.example.com" || len(f.Clusters) != 2 {
		t.Errorf("example fixture read as %+v", f)
	}
}

func TestBadFixtureNamesTheLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fixture.json")
	fixture := "{\n  \"devices\": [\n    {\"uuid\": \"d1\", \"hostname\": \"a\", \"address\": \"10.0.0.1\",\n     \"accessGroupName\": \"Nope\"}]}\n"
	if err := os.WriteFile(path, []byte(fixture), 0o600); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"-fixture", path, "-addr", "127.0.0.1:0"}, &bytes.Buffer{})
	want := path + `: line 4: devices[0].accessGroupName: "Nope" is not in accessGroups (none defined)`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant    %s", err, want)
	}
}

func TestUsageDescribesTheFixture(t *testing.T) {
	var out bytes.Buffer
	if _, err := parseFlags([]string{"-h"}, &out); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	for _, want := range []string{"Fixture format", `"clusters"`, "accessImported", "line and key", "/mock/move-device"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("-h does not mention %q", want)
		}
	}
}

// TestHelpExitsZero: -h is a question answered, so the command exits 0
// (the flag package's ErrHelp used to exit 2, failing a CI step that only
// printed the usage); a refused flag still exits 2, other errors 1.
func TestHelpExitsZero(t *testing.T) {
	_, helpErr := parseFlags([]string{"-h"}, io.Discard)
	_, badFlagErr := parseFlags([]string{"-no-such-flag"}, io.Discard)
	_, extraArgErr := parseFlags([]string{"extra"}, io.Discard)
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"-h", helpErr, 0},
		{"no error", nil, 0},
		{"unknown flag", badFlagErr, 2},
		{"stray argument", extraArgErr, 1},
	} {
		if got := exitCode(tc.err); got != tc.want {
			t.Errorf("%s (%v): exit code %d, want %d", tc.name, tc.err, got, tc.want)
		}
	}
}

// TestUsageNamesEveryFixtureKey: every key the strict fixture parser
// accepts (the json names of the fixture's Go types, which it checks keys
// against) is named in -h, so a key the error message lists as known is
// never one the documentation leaves out.
func TestUsageNamesEveryFixtureKey(t *testing.T) {
	var out bytes.Buffer
	if _, err := parseFlags([]string{"-h"}, &out); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	usage := out.String()
	for _, typ := range []reflect.Type{
		reflect.TypeFor[bigiqmock.Fixture](),
		reflect.TypeFor[bigiqmock.FixtureCluster](),
		reflect.TypeFor[bigiqmock.FixtureAccessGroup](),
		reflect.TypeFor[bigiqmock.FixtureDevice](),
		reflect.TypeFor[bigiqmock.FixtureClientApp](),
		reflect.TypeFor[bigiqmock.Token](),
	} {
		for i := range typ.NumField() {
			name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			if !regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\b`).MatchString(usage) {
				t.Errorf("-h does not name the fixture key %s (%s.%s)", name, typ.Name(), typ.Field(i).Name)
			}
		}
	}
}
