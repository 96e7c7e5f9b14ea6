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
