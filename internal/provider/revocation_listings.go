package provider

import (
	"context"
	"fmt"
	"sync"
	"time"

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
	return &providerData{client: client, listings: &deviceListings{client: client, gather: listingGather, quiet: listingQuiet, most: listingMost}, left: &leftTasks{byRevocation: map[string]leftTask{}}}
}

// leftTasks are the tasks of revocations this provider process removed
// from the state while BIG-IQ was still running them: a resource whose
// create timed out or was interrupted is tainted, and the apply that
// replaces it first deletes it, then creates the same revocation again.
// That create, and only that one, may follow the task rather than start
// the revocation a second time. Keyed by revocationKey.
type leftTasks struct {
	mu           sync.Mutex
	byRevocation map[string]leftTask
}

// leftTask is a task a removed record named, with the devices it was
// started for (the record's target_devices): a create follows it only
// while the targets still select exactly those devices, since BIG-IQ
// resolved that task's targets when it started, not when this run did.
type leftTask struct {
	id      string
	devices plannedDevices
}

func (l *leftTasks) put(key string, task leftTask) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.byRevocation[key] = task
}

// take returns the task left for key, once; the zero leftTask for none.
func (l *leftTasks) take(key string) leftTask {
	l.mu.Lock()
	defer l.mu.Unlock()
	task := l.byRevocation[key]
	delete(l.byRevocation, key)
	return task
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
	// A fresh listing gathers checks before it begins, so that the checks
	// of revocations that run side by side (their creates begun, or their
	// tasks ended, within a few polls of each other) share it rather than
	// each begin one of their own: it begins gather after it was asked
	// for, later while checks keep joining (until none has for quiet), and
	// at the latest at most after it was asked for.
	gather, quiet, most time.Duration

	planMu     sync.Mutex
	planListed []bigiq.Device
	planDone   bool

	mu sync.Mutex
	// begun counts the fresh listings begun, so a moment is a number:
	// listing n began after moment m when n > m.
	begun  int
	latest *listing
}

// listingGather, listingQuiet and listingMost are deviceListings':
// about the spread of the polls that see tasks started together end, and
// short beside a listing of a large estate.
const (
	listingGather = 150 * time.Millisecond
	listingQuiet  = 60 * time.Millisecond
	listingMost   = 400 * time.Millisecond
)

// listing is one fresh listing, shared by every check that may use it.
type listing struct {
	// seq is its number once it has begun, 0 while it gathers checks;
	// joined is when a check last joined it then.
	seq     int
	joined  time.Time
	done    chan struct{}
	devices []bigiq.Device
	err     error
}

// serves reports whether a check of moment m may take this listing: it
// has not begun yet or began after m, and has not failed.
func (l *listing) serves(m int) bool {
	if l.seq != 0 && l.seq <= m {
		return false
	}
	return !l.finished() || l.err == nil
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
	return l.begun
}

// since returns the devices of a listing that began after moment m. It
// shares the latest listing when that has not begun yet, or began after m
// (in flight, or done without error); otherwise it waits for the one in
// flight to end, so that every check arriving meanwhile shares the next,
// and starts that one, which gathers checks for a moment before it
// begins. A listing runs to its end whatever becomes of the caller that
// started it, since others may be waiting for it.
func (l *deviceListings) since(ctx context.Context, m int) ([]bigiq.Device, error) {
	for {
		l.mu.Lock()
		cur := l.latest
		switch {
		case cur != nil && cur.serves(m):
			if cur.seq == 0 {
				cur.joined = time.Now()
			}
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
			cur = &listing{done: make(chan struct{}), joined: time.Now()}
			l.latest = cur
			l.mu.Unlock()
			go l.run(context.WithoutCancel(ctx), cur)
		}
		select {
		case <-cur.done:
			return cur.devices, cur.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// run gathers checks (gather, quiet, most), then begins the listing.
func (l *deviceListings) run(ctx context.Context, cur *listing) {
	defer close(cur.done)
	asked := time.Now()
	for {
		l.mu.Lock()
		wait := max(time.Until(asked.Add(l.gather)), time.Until(cur.joined.Add(l.quiet)))
		if wait = min(wait, time.Until(asked.Add(l.most))); wait <= 0 {
			l.begun++
			cur.seq = l.begun
			l.mu.Unlock()
			break
		}
		l.mu.Unlock()
		time.Sleep(wait)
	}
	cur.devices, cur.err = l.client.ListDevices(ctx, nil)
}
