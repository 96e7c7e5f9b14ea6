package bench

import (
	"fmt"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// The default fixture's active BlueCluster member: revocations by user on
// BlueCluster find tokens there once seedLeavers has put them in place.
const (
	blueCluster       = "BlueCluster"
	blueClusterActive = "98901455-6384-47cd-bc41-00a39dfe338f"
)

// startMock serves a mock BIG-IQ over HTTPS on a free local port.
func startMock(opts bigiqmock.Options) (*bigiqmock.Server, error) {
	return bigiqmock.Listen(bigiqmock.New(opts), "127.0.0.1:0", true)
}

// seedLeavers gives each of n users ("leaver000", ...) one live token on
// BlueCluster, so that revoking their tokens succeeds rather than fails
// with "Tokens not found": the benchmarks time the successful path.
func seedLeavers(m *bigiqmock.Mock, n int) []string {
	users := make([]string, n)
	for i := range users {
		users[i] = leaver(i)
		m.AddToken(blueClusterActive, bigiqmock.Token{
			ID:       fmt.Sprintf("%048x", i+1),
			ClientID: "89923892aed8eb142a8871058da9005056b09ae221df6a57",
			UserName: users[i],
		})
	}
	return users
}

func leaver(i int) string { return fmt.Sprintf("leaver%03d", i) }

// newClient is a BIG-IQ client for the mock s, as the provider builds one.
func newClient(s *bigiqmock.Server) (*bigiq.Client, error) {
	return bigiq.NewClient(bigiq.Config{
		Address:          s.URL,
		Username:         "admin",
		Password:         "admin",
		CACertificatePEM: s.CACertPEM(),
	})
}

// taskPollTimes returns when the mock received each GET of the task id.
func taskPollTimes(m *bigiqmock.Mock, id string) []time.Time {
	var times []time.Time
	for _, r := range m.Requests() {
		if r.Method == "GET" && r.Path == bigiq.PathRevokeTasks+"/"+id {
			times = append(times, r.Time)
		}
	}
	return times
}

// taskEnd is the instant the mock's task reached its terminal state, from
// the endDateTime it reports (millisecond precision, as BIG-IQ writes it).
func taskEnd(m *bigiqmock.Mock, id string) (time.Time, error) {
	task, ok := m.TaskJSON(id)
	if !ok {
		return time.Time{}, fmt.Errorf("task %s is gone", id)
	}
	end, _ := task["endDateTime"].(string)
	t, err := time.Parse("2006-01-02T15:04:05.000-0700", end)
	if err != nil {
		return time.Time{}, fmt.Errorf("task %s has no usable endDateTime %q: %w", id, end, err)
	}
	return t, nil
}
