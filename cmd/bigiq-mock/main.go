// Command bigiq-mock serves the bigiqmock BIG-IQ imitation on a real port,
// for demos, manual testing of the provider and tests of users' own
// Terraform modules. Users install it with
//
//	go install github.com/bigiq-community/terraform-provider-bigiq/cmd/bigiq-mock@<version>
//
// and run it as
//
//	bigiq-mock -addr 127.0.0.1:8443 -ca-out ca.pem -url-out url.txt -fixture estate.json
//
// It prints each revoked OAuth token to stdout. GET /mock/tokens and
// GET /mock/requests (no auth) show the live tokens per device and the
// requests received, and POST /mock/move-device moves a device between
// clusters and Access groups; they are the mock's own and do not exist on
// BIG-IQ. -h describes the fixture format.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "bigiq-mock:", err)
	}
	os.Exit(exitCode(err))
}

// exitCode is 0 for a clean run and for -h (help was asked for and given),
// 2 for a flag the flag package refused (it has printed why and the usage),
// 1 for any other error.
func exitCode(err error) int {
	var flagErr *flagError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &flagErr):
		return 2
	default:
		return 1
	}
}

// flagError is a command line the flag package refused.
type flagError struct{ err error }

func (e *flagError) Error() string { return e.err.Error() }
func (e *flagError) Unwrap() error { return e.err }

type config struct {
	addr, caOut, urlOut, fixture, generate, writeFixture string
	deviceShape                                          string
	username, password                                   string
	useTLS, quiet                                        bool
	taskDuration, tokenTTL, refreshTokenTTL              time.Duration
	maxPageSize                                          int
	seed                                                 int64
}

func parseFlags(args []string, output io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("bigiq-mock", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageHead)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), usageFixture)
	}
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8443", "listen address (port 0 picks a free port)")
	fs.BoolVar(&c.useTLS, "tls", true, "serve HTTPS with a generated self-signed certificate for 127.0.0.1, ::1 and localhost")
	fs.StringVar(&c.caOut, "ca-out", "", "write the certificate (PEM, usable as CA bundle) to this file")
	fs.StringVar(&c.urlOut, "url-out", "", "write the base URL to this file once listening")
	fs.StringVar(&c.fixture, "fixture", "", "JSON fixture file (default: the built-in documented estate)")
	fs.StringVar(&c.generate, "generate", "", "generate an estate instead: devices=N,apps=N,tokens=N (apps and tokens per device)")
	fs.Int64Var(&c.seed, "seed", 1, "seed for -generate")
	fs.StringVar(&c.deviceShape, "device-shape", "", `how the machineid-resolver lists devices: "5.2" (the 2.5 KB item of F5's BIG-IQ 5.2 how-to, the default) or "8" (BIG-IQ 7/8's 20-30 KB item with the LTM, ASM, AFM and DNS blocks); overrides the fixture's deviceShape`)
	fs.StringVar(&c.writeFixture, "write-fixture", "", "write the fixture as JSON to this file and exit")
	fs.DurationVar(&c.taskDuration, "task-duration", 2*time.Second, "how long a revoke task runs")
	fs.DurationVar(&c.tokenTTL, "token-ttl", 5*time.Minute, "access token lifetime (BIG-IQ's is a fixed 5m)")
	fs.DurationVar(&c.refreshTokenTTL, "refresh-token-ttl", 10*time.Hour, "refresh token lifetime (BIG-IQ's is a fixed 10h)")
	fs.IntVar(&c.maxPageSize, "max-page-size", 0, "cap on items per collection page (0: none)")
	fs.StringVar(&c.username, "username", "admin", "BIG-IQ user name")
	fs.StringVar(&c.password, "password", "admin", "BIG-IQ password")
	fs.BoolVar(&c.quiet, "quiet", false, "do not print events")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, err
		}
		return c, &flagError{err}
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if c.caOut != "" && !c.useTLS {
		return c, errors.New("-ca-out needs -tls")
	}
	if err := bigiqmock.CheckDeviceShape(c.deviceShape); err != nil {
		return c, fmt.Errorf("-device-shape: %w", err)
	}
	if c.fixture != "" && c.generate != "" {
		return c, errors.New("-fixture and -generate exclude each other")
	}
	return c, nil
}

const usageHead = `Usage: bigiq-mock [flags]

Serves an imitation of F5 BIG-IQ's token-revocation API (login, refresh
tokens, machineid-resolver, Access groups, OAuth client apps, revoke-tokens
tasks) until interrupted. Log in as -username/-password with
loginProviderName "local".

Flags:
`

const usageFixture = `
Fixture format (-fixture FILE): JSON; lines starting with // are comments.
  {
    "deviceShape":  "5.2",
    "clusters":     [{"name": "BlueCluster"}],
    "accessGroups": [{"name": "TestGroup", "displayName": "Test Group"}],
    "devices": [{
      "uuid": "<machine id>", "hostname": "bigip1.example.com", "address": "10.0.0.1",
      "clusterName": "BlueCluster", "accessGroupName": "TestGroup",
      "failoverState": "active",
      "trustEstablished": true, "accessDiscovered": true, "accessImported": true,
      "clientApps": [{"name": "maps-client", "appName": "Maps", "clientId": "<id>"}],
      "tokens": [{"id": "<oauth id>", "clientId": "<id>", "userName": "alice"}]}]}
deviceShape is "5.2" (default) or "8" (see -device-shape).
uuid, hostname and address are required. A task reaches a device only with
trustEstablished and accessDiscovered, and through an Access group only with
accessImported too. failoverState is active (default) or standby; a task
revokes nothing on a standby member. Keys are case-sensitive. An unknown key,
a clusterName not in clusters, an accessGroupName not in accessGroups, or a
token whose clientId is not one of its device's clientApps is an error naming
the line and key. Example: examples/mock/fixture.json in the provider's repo.

More device keys, all optional, for the fields of the device item BIG-IQ's
machineid-resolver lists (the provider reads none of them to decide where to
revoke): managementAddress (default: address), httpsPort (443), version
(12.1.0), build (0.0.1354), product (BIG-IP), edition (Final), state
(ACTIVE), isClustered and isVirtual (false), and mcpDeviceName,
restFrameworkVersion, trustDomainGuid, generation, lastUpdateMicros,
properties and slots (derived when absent; properties and slots are raw
JSON).

Mock-only endpoints (no auth): GET /mock/tokens, GET /mock/requests,
POST /mock/move-device {"machineId": "...", "clusterName": "...", "accessGroupName": "..."}.
`

func run(ctx context.Context, args []string, stdout io.Writer) error {
	cfg, err := parseFlags(args, os.Stderr)
	if err != nil {
		return err
	}
	fixture, err := loadFixture(cfg)
	if err != nil {
		return err
	}
	if cfg.writeFixture != "" {
		data, err := json.MarshalIndent(fixture, "", "  ")
		if err != nil {
			return err
		}
		return writeFileAtomic(cfg.writeFixture, append(data, '\n'))
	}

	logger := log.New(stdout, "", log.LstdFlags)
	opts := bigiqmock.Options{
		Fixture: fixture, Username: cfg.username, Password: cfg.password,
		TaskDuration: cfg.taskDuration, TokenTTL: cfg.tokenTTL, RefreshTokenTTL: cfg.refreshTokenTTL,
		MaxPageSize: cfg.maxPageSize,
	}
	if !cfg.quiet {
		opts.Logf = logger.Printf
	}
	server, err := bigiqmock.Listen(bigiqmock.New(opts), cfg.addr, cfg.useTLS)
	if err != nil {
		return err
	}
	defer server.Close()

	if cfg.caOut != "" {
		if err := writeFileAtomic(cfg.caOut, []byte(server.CACertPEM())); err != nil {
			return err
		}
	}
	// Written last, so a script that waits for this file finds the
	// certificate already in place.
	if cfg.urlOut != "" {
		if err := writeFileAtomic(cfg.urlOut, []byte(server.URL+"\n")); err != nil {
			return err
		}
	}
	if !cfg.quiet {
		logger.Printf("BIG-IQ mock listening on %s (user %s, %d devices); live tokens at %s/mock/tokens",
			server.URL, cfg.username, len(fixture.Devices), server.URL)
	}
	<-ctx.Done()
	if !cfg.quiet {
		logger.Printf("shutting down")
	}
	return nil
}

func loadFixture(cfg config) (*bigiqmock.Fixture, error) {
	f, err := readFixture(cfg)
	if err != nil || cfg.deviceShape == "" {
		return f, err
	}
	f.DeviceShape = cfg.deviceShape
	return f, nil
}

func readFixture(cfg config) (*bigiqmock.Fixture, error) {
	switch {
	case cfg.fixture != "":
		return bigiqmock.LoadFixture(cfg.fixture)
	case cfg.generate != "":
		sizes, err := parseGenerate(cfg.generate)
		if err != nil {
			return nil, err
		}
		return bigiqmock.GenerateFixture(sizes["devices"], sizes["apps"], sizes["tokens"], cfg.seed), nil
	}
	return bigiqmock.DefaultFixture(), nil
}

// parseGenerate reads "devices=N,apps=N,tokens=N"; devices is required.
func parseGenerate(spec string) (map[string]int, error) {
	sizes := map[string]int{}
	for _, part := range strings.Split(spec, ",") {
		key, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(value)
		switch {
		case !ok || err != nil || n < 0:
			return nil, fmt.Errorf("-generate: %q is not name=count", part)
		case key != "devices" && key != "apps" && key != "tokens":
			return nil, fmt.Errorf("-generate: unknown %q (want devices, apps, tokens)", key)
		}
		sizes[key] = n
	}
	if sizes["devices"] == 0 {
		return nil, errors.New("-generate: devices=N with N > 0 is required")
	}
	if sizes["tokens"] > 0 && sizes["apps"] == 0 {
		return nil, errors.New("-generate: tokens=N needs apps=N with N > 0: a token belongs to a client app")
	}
	return sizes, nil
}

func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".bigiq-mock-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
