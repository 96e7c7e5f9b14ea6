// Package bigiqmock is an in-memory imitation of the parts of F5 BIG-IQ's
// REST API that the provider uses: login, refresh tokens and auth tokens,
// the machineid-resolver, access groups, OAuth client apps and the
// asynchronous revoke-tokens task with its history.
//
// It is written from F5's BIG-IQ documentation, not from the client's
// types, so a mistake in the client's idea of the wire format shows up as
// a failing test instead of being mirrored. contributing/bigiq-api.md
// sets out the facts it relies on, each with F5's page; chiefly the
// revoke-tokens API reference,
// https://clouddocs.f5.com/products/big-iq/mgmt-api/v6.1.0/ApiReferences/bigiq_public_api_ref/r_access_revoke_tokens.html,
// and the OAuth token revocation how-to,
// https://clouddocs.f5.com/products/big-iq/mgmt-api/v7.1.0/HowToSamples/bigiq_public_api_wf/t_revoke_oauth_token.html.
//
// The mock keeps real state: OAuth tokens live on devices and a finished
// task really removes them. Task progress is computed from the clock on
// every request, so tests with an injected clock need no sleeps. Access
// tokens last 300 s and refresh tokens 10 hours, as on BIG-IQ. Faults
// (errors, dropped connections, expired tokens, latency, random chaos,
// forced task outcomes), BIG-IQ's wire variations (Quirks) and changes to
// the estate (MoveDevice, AddDevice, RemoveDevice, UpdateDevice) can be
// applied at run time, or at a chosen moment of a task (ChangeEstateDuring:
// before or after its RESOLVE_DEVICES step, where BIG-IQ resolves the
// targets, as this mock does too), and every request is recorded
// (Listings counts the full listings of a collection).
//
// # Fixture format
//
// A fixture is the estate the mock serves, as JSON (testdata/default.json
// is the default; examples/mock/fixture.json is a small commented one):
//
//	// Lines whose first non-blank characters are // are comments.
//	{
//	  "clusters":     [{"name": "BlueCluster"}],
//	  "accessGroups": [{"name": "TestGroup", "displayName": "Test Group"}],
//	  "devices": [{
//	    "uuid": "…", "hostname": "bigip1.example.com", "address": "10.0.0.1",
//	    "clusterName": "BlueCluster", "accessGroupName": "TestGroup",
//	    "failoverState": "active",
//	    "trustEstablished": true, "accessDiscovered": true, "accessImported": true,
//	    "clientApps": [{"name": "maps-client", "appName": "Maps", "clientId": "…"}],
//	    "tokens": [{"id": "…", "clientId": "…", "userName": "alice"}]}]}
//
// uuid (also the machine id), hostname and address are required; every
// other device key is optional (see FixtureDevice for the cosmetic ones).
// A task reaches a device only when trustEstablished and accessDiscovered
// are true, and through an Access group only when accessImported is true
// as well; a device that a target names but BIG-IQ cannot reach is
// skipped, as BIG-IQ skips it. failoverState is "active" (the default) or
// "standby"; a cluster has at most one active member, and a task revokes
// nothing on a standby member.
//
// "deviceShape" (optional, top level) is how the machineid-resolver lists
// each device: "5.2" (the default) is the item of F5's 5.2-era how-to
// (contributing/bigiq-api.md), about 2.5 KB;
// "8" is the item of a BIG-IQ 7/8 that has discovered LTM, ASM, AFM and DNS
// beside Access, 20 to 30 KB, with a block per service in properties
// (cm-adccore-allbigipDevices, cm-asm-allAsmDevices,
// cm-security-shared-allSharedDevices, cm-dns-allBigIpDevices, and on a
// clustered device cm-adccore-adccluster_<name>, cm-asm-asmCluster_<name>,
// cm-dns-dnsCluster_<name>), each with about a hundred supports… flags.
// GenerateFixture builds the 5.2 shape; set DeviceShape on its result (or
// run cmd/bigiq-mock with -device-shape 8) for the other.
//
// The format is strict, so a typo cannot silently change a test: keys are
// case-sensitive and an unknown one is an error; so is a clusterName not
// in clusters, an accessGroupName not in accessGroups, a token whose
// clientId is not one of its device's clientApps, a repeated uuid, token
// id or name, and a missing required key. Each error names the line and
// the key, e.g. "line 14: devices[1].accessGroupName: "Green Group" is not
// in accessGroups (known: GreenGroup, TestGroup)". Apps and tokens are
// written inside their device, so they cannot name a device that does not
// exist.
//
// # Mock-only endpoints
//
// Paths under /mock/ are the mock's own; they do not exist on a real
// BIG-IQ, need no auth, are never subject to faults and are not recorded:
// GET /mock/tokens (live OAuth tokens per device), GET /mock/requests
// (requests received, secrets hidden) and POST /mock/move-device
// {"machineId": "…", "clusterName": "…", "accessGroupName": "…"}, which is
// MoveDevice for a mock run as a separate process.
package bigiqmock
