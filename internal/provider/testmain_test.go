package provider

import (
	"os"
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/testenv"
)

// TestMain keeps the BIG-IQ, Terraform and proxy settings of whoever runs
// the tests out of them, and finds the terraform CLI the in-process
// acceptance tests drive (see unitTest).
func TestMain(m *testing.M) {
	testenv.Scrub()
	findTerraform()
	os.Exit(m.Run())
}
