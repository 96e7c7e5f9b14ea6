package bigiq

import "context"

// PathDeviceGroups holds the device groups, among them the Access groups.
const PathDeviceGroups = "/mgmt/shared/resolver/device-groups"

// AccessGroup is a BIG-IQ Access group (a device group with
// cm:access:access_group set).
type AccessGroup struct {
	GroupName   string `json:"groupName"`
	DisplayName string `json:"displayName"`
	SelfLink    string `json:"selfLink"`
}

// ListAccessGroups lists the Access groups.
func (c *Client) ListAccessGroups(ctx context.Context) ([]AccessGroup, error) {
	return listInto[AccessGroup](ctx, c, PathDeviceGroups, query{
		filter: ODataEq("properties/cm:access:access_group", "true"),
		selec:  []string{"groupName", "displayName", "selfLink"},
	})
}
