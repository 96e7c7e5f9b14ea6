package bigiq

import (
	"context"
	"net/http"
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

func TestListAccessGroups(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)

	groups, err := c.ListAccessGroups(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, g := range groups {
		names[g.GroupName] = g.DisplayName
	}
	if len(groups) != 3 || names["GreenGroup"] != "Green Group" || names["TestGroup"] != "TestGroup" ||
		groups[0].SelfLink != "https://localhost"+PathDeviceGroups+"/"+groups[0].GroupName {
		t.Errorf("groups = %+v", groups)
	}
	q := sent(s, http.MethodGet, PathDeviceGroups)[0].Query
	if q.Get("$filter") != "'properties/cm:access:access_group' eq 'true'" || q.Get("$select") != "groupName,displayName,selfLink" {
		t.Errorf("query = %v", q)
	}
}
