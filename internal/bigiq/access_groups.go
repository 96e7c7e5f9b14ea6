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

// ListAccessGroups lists the Access groups: the device groups whose
// properties mark them cm:access:access_group.
//
// BIG-IQ API: GET /mgmt/shared/resolver/device-groups
// F5 docs: https://clouddocs.f5.com/products/big-iq/mgmt-api/v7.0.0/HowToSamples/bigiq_public_api_wf/t_device_groups_filter.html
func (c *Client) ListAccessGroups(ctx context.Context) ([]AccessGroup, error) {
	return listInto[AccessGroup](ctx, c, PathDeviceGroups, query{
		filter: ODataEq("properties/cm:access:access_group", "true"),
		selec:  []string{"groupName", "displayName", "selfLink"},
	})
}
