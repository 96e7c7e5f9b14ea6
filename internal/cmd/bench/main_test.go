package main

import (
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/testenv"
)

// TestMain keeps the BIG-IQ, Terraform and proxy settings of whoever runs
// the tests out of them.
func TestMain(m *testing.M) {
	testenv.Scrub()
	m.Run()
}

// TestHelpExitsZero: `go run ./internal/cmd/bench -h` answers and exits 0
// (it used to exit 2, as for a refused flag); a refused flag still exits 2.
func TestHelpExitsZero(t *testing.T) {
	_, helpErr := parseFlags([]string{"-h"})
	if got := flagsExitCode(helpErr); got != 0 {
		t.Errorf("-h (%v): exit code %d, want 0", helpErr, got)
	}
	_, badErr := parseFlags([]string{"-only", "nope"})
	if badErr == nil {
		t.Fatal("-only nope was accepted")
	}
	if got := flagsExitCode(badErr); got != 2 {
		t.Errorf("-only nope (%v): exit code %d, want 2", badErr, got)
	}
}
