package provider

import (
	"context"
	"net/http"
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

// TestDeviceListingsSince: a check shares a listing only when it began
// after the check's moment; one that failed is never shared; the plan's
// listing is made once.
func TestDeviceListingsSince(t *testing.T) {
	m := startMock(t)
	client, err := bigiq.NewClient(bigiq.Config{Address: m.URL, Username: "admin", Password: "admin", CACertificatePEM: m.CACertPEM()})
	if err != nil {
		t.Fatal(err)
	}
	l := newProviderData(client).listings
	ctx := context.Background()
	listings := func(want int, when string) {
		t.Helper()
		if got := m.Listings(bigiq.PathDevices); got != want {
			t.Fatalf("%s: %d listings, want %d", when, got, want)
		}
	}

	first := l.moment()
	if _, err := l.since(ctx, first); err != nil {
		t.Fatal(err)
	}
	listings(1, "the first check")
	if _, err := l.since(ctx, first); err != nil {
		t.Fatal(err)
	}
	listings(1, "a second check of the same moment, which the first listing began after")

	later := l.moment()
	if _, err := l.since(ctx, later); err != nil {
		t.Fatal(err)
	}
	listings(2, "a check of a moment after that listing began")

	m.FailNext(http.MethodGet, bigiq.PathDevices, 1, http.StatusBadRequest)
	failed := l.moment()
	if _, err := l.since(ctx, failed); err == nil {
		t.Fatal("a failed listing returned no error")
	}
	if _, err := l.since(ctx, failed); err != nil {
		t.Fatal(err)
	}
	listings(4, "a check after a failed listing (the failed request is recorded too)")

	for range 3 {
		if _, err := l.forPlan(ctx); err != nil {
			t.Fatal(err)
		}
	}
	listings(5, "three plan-time resolutions")
}
