package bigiqmock

import "errors"

// ResolveTargets returns the machine ids of the devices a revoke-tokens
// task posted with body would revoke on, in fixture order, without
// starting one: the mock's side of the agreement test with the client's
// bigiq.ResolveTargets. Bad input is refused with BIG-IQ's 400 message.
func (m *Mock) ResolveTargets(body []byte) ([]string, error) {
	in, msg := parseRevokeInput(body)
	if msg != "" {
		return nil, errors.New("bigiqmock: " + msg)
	}
	var ids []string
	for _, d := range m.resolve(in) {
		ids = append(ids, d.UUID)
	}
	return ids, nil
}
