package bigiq

import (
	"fmt"
	"strings"
)

// NormalizeHexID returns an OAuth id or an OAuth client id in the form
// BIG-IQ writes and matches them: lower-case hexadecimal. APM generates both
// as hex strings; every id and clientId BIG-IQ shows (the revoke-tokens
// task's perDeviceOauthIds and failedIds, the oauth-client-app listing) is
// lower-case, and BIG-IQ compares them exactly, so an id typed in upper
// case would match no token and the task would report nothing to revoke. A
// value that is not hex has no form BIG-IQ would match, so it is an error
// rather than a request that silently revokes nothing.
//
// F5 docs: https://clouddocs.f5.com/products/big-iq/mgmt-api/v7.1.0/HowToSamples/bigiq_public_api_wf/t_revoke_oauth_token.html
func NormalizeHexID(id string) (string, error) {
	if id == "" {
		return "", fmt.Errorf("the id is empty")
	}
	for i, r := range id {
		isHex := '0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F'
		if !isHex {
			return "", fmt.Errorf("%q is not hexadecimal: %q at byte %d is not one of 0-9 and a-f; BIG-IQ's OAuth ids "+
				"and client ids are hex strings such as e3f3e7204d00d88ad92cbb970dd5005056b093adfa6d7457", id, r, i)
		}
	}
	return strings.ToLower(id), nil
}
