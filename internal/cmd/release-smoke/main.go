// Command release-smoke runs a provider binary from a release build under
// the real terraform CLI against the mock BIG-IQ. A plan that reads a data
// source proves the binary starts, completes the plugin handshake, serves
// its schema over protocol 6 and talks to BIG-IQ; the User-Agent of its
// requests proves the release version was stamped in. make release-check
// runs it on the binary of the linux/amd64 archive.
//
//	go run ./internal/cmd/release-smoke -provider-dir DIR -version 1.2.3
//
// The terraform binary is $TF_ACC_TERRAFORM_PATH, else `terraform` on PATH.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

const config = tfcli.RequiredProviders + `
data "bigiq_devices" "blue" {
  cluster_name = "BlueCluster"
}

output "blue_hostnames" {
  value = [for d in data.bigiq_devices.blue.devices : d.hostname]
}
`

func main() {
	providerDir := flag.String("provider-dir", "", "directory holding the released terraform-provider-bigiq_v<version> binary")
	version := flag.String("version", "", "the version the release stamped in (without the leading v)")
	flag.Parse()
	if *providerDir == "" || *version == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: release-smoke -provider-dir DIR -version VERSION")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := run(ctx, *providerDir, *version); err != nil {
		fmt.Fprintln(os.Stderr, "release-smoke:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, providerDir, version string) error {
	terraform, err := tfcli.TerraformPath()
	if err != nil {
		return err
	}
	mock := bigiqmock.New(bigiqmock.Options{})
	srv, err := bigiqmock.Listen(mock, "127.0.0.1:0", true)
	if err != nil {
		return err
	}
	defer srv.Close()

	dir, err := os.MkdirTemp("", "bigiq-release-smoke-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	w, err := tfcli.NewWorkspace(dir, terraform, providerDir, tfcli.MockEnv(srv.URL, srv.CACertPEM()))
	if err != nil {
		return err
	}
	if err := w.WriteFile("main.tf", config); err != nil {
		return err
	}
	res, err := w.Run(ctx, "plan")
	if err != nil {
		return err
	}
	// The fixture's BlueCluster holds bluebigip.
	if !strings.Contains(res.Stdout, "bluebigip") {
		return fmt.Errorf("the plan does not show the BlueCluster device read from BIG-IQ:\n%s", res.Stdout)
	}

	want := "terraform-provider-bigiq/" + version
	requests := mock.Requests()
	if len(requests) == 0 {
		return errors.New("BIG-IQ received no request")
	}
	for _, r := range requests {
		if got := r.Header.Get("User-Agent"); got != want {
			return fmt.Errorf("%s %s came with User-Agent %q; want %q (the version stamped into the release)", r.Method, r.Path, got, want)
		}
	}
	fmt.Printf("release-smoke: %s planned a data source read through %s; %d BIG-IQ requests, all with User-Agent %s\n",
		terraform, providerDir, len(requests), want)
	return nil
}
