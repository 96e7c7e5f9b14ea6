package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

// providerData is what Configure hands to the resource, the action, the
// list resource and the data sources: the client, and the device listings
// of this provider process, which live exactly as long as the configured
// provider does.
type providerData struct {
	client   *bigiq.Client
	listings *deviceListings
	// left are the tasks this apply removed from the state while they ran.
	left *leftTasks
}

func newProviderData(client *bigiq.Client) *providerData {
	return &providerData{client: client, listings: &deviceListings{client: client}, left: &leftTasks{byRevocation: map[string]string{}}}
}

// leftTasks are the tasks of revocations this provider process removed
// from the state while BIG-IQ was still running them: a resource whose
// create timed out or was interrupted is tainted, and the apply that
// replaces it first deletes it, then creates the same revocation again.
// That create, and only that one, may follow the task rather than start
// the revocation a second time. Keyed by revocationKey.
type leftTasks struct {
	mu           sync.Mutex
	byRevocation map[string]string
}

func (l *leftTasks) put(key, taskID string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.byRevocation[key] = taskID
}

// take returns the task left for key, once; "" for none.
func (l *leftTasks) take(key string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	id := l.byRevocation[key]
	delete(l.byRevocation, key)
	return id
}

// providerDataFrom is shared by every Configure: the provider hands over
// one providerData for all of them. It is nil until the provider is
// configured.
func providerDataFrom(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return pd
}

// clientFromProviderData is the client of the provider data, for what
// needs nothing else (the data sources).
func clientFromProviderData(data any, diags *diag.Diagnostics) *bigiq.Client {
	if pd := providerDataFrom(data, diags); pd != nil {
		return pd.client
	}
	return nil
}

// deviceListings are the listings of BIG-IQ's managed devices one provider
// process makes. Listing the estate is the costliest request the provider
// sends (a BIG-IQ 8 lists up to 1,000 devices of 20 to 30 KB each), so
// revocations share listings wherever a shared one still says what they
// need to know:
//
//   - the plan's listing is made once per process, however many
//     revocations a plan resolves (Terraform starts one process for the
//     plan and another for the apply);
//   - the apply's checks need BIG-IQ as it is after a given moment (a
//     create began, a task ended), so they share a listing only when it
//     began after that moment (fresh).
type deviceListings struct {
	client *bigiq.Client

	planMu     sync.Mutex
	planListed []bigiq.Device
	planDone   bool

	mu sync.Mutex
	// started counts the fresh listings begun, so a moment is a number:
	// listing n began after moment m when n > m.
	started int
	latest  *listing
}

// listing is one fresh listing, shared by every check that may use it.
type listing struct {
	seq     int
	done    chan struct{}
	devices []bigiq.Device
	err     error
}

func (l *listing) finished() bool {
	select {
	case <-l.done:
		return true
	default:
		return false
	}
}

// forPlan is the plan's listing: made at most once, and made again only
// after a listing that failed.
func (l *deviceListings) forPlan(ctx context.Context) ([]bigiq.Device, error) {
	l.planMu.Lock()
	defer l.planMu.Unlock()
	if !l.planDone {
		devices, err := l.client.ListDevices(ctx, nil)
		if err != nil {
			return nil, err
		}
		l.planListed, l.planDone = devices, true
	}
	return l.planListed, nil
}

// planned is the plan's listing if this process made one.
func (l *deviceListings) planned() ([]bigiq.Device, bool) {
	l.planMu.Lock()
	defer l.planMu.Unlock()
	return l.planListed, l.planDone
}

// moment is now, for since: a listing begun after this call began after
// whatever the caller is marking.
func (l *deviceListings) moment() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.started
}

// since returns the devices of a listing that began after moment m. It
// shares the latest listing when that began after m (in flight or done
// without error); otherwise it waits for the one in flight to end, so
// that every check arriving meanwhile shares the next one, and starts it.
// A listing runs to its end whatever becomes of the caller that started
// it, since others may be waiting for it.
func (l *deviceListings) since(ctx context.Context, m int) ([]bigiq.Device, error) {
	for {
		l.mu.Lock()
		cur := l.latest
		switch {
		case cur != nil && cur.seq > m && !(cur.finished() && cur.err != nil):
			l.mu.Unlock()
		case cur != nil && !cur.finished():
			l.mu.Unlock()
			select {
			case <-cur.done:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		default:
			l.started++
			cur = &listing{seq: l.started, done: make(chan struct{})}
			l.latest = cur
			l.mu.Unlock()
			go func(ctx context.Context) {
				defer close(cur.done)
				cur.devices, cur.err = l.client.ListDevices(ctx, nil)
			}(context.WithoutCancel(ctx))
		}
		select {
		case <-cur.done:
			return cur.devices, cur.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
