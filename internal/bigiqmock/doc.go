// Package bigiqmock is an in-memory imitation of the parts of F5 BIG-IQ's
// REST API that the provider uses: login and auth tokens, the
// machineid-resolver, access groups, OAuth client apps and the asynchronous
// revoke-tokens task.
//
// It is written from BIG-IQ's documentation (../../shared/bigiq-api.md and
// seed 001), not from the client's types, so a mistake in the client's idea
// of the wire format shows up as a failing test instead of being mirrored.
//
// The mock keeps real state: OAuth tokens live on devices and a finished
// task really removes them. Task progress is computed from the clock on
// every request, so tests with an injected clock need no sleeps. Faults
// (errors, dropped connections, expired auth tokens, latency, random chaos,
// forced task outcomes) can be injected, and every request is recorded.
//
// A fixture is JSON (see Fixture; testdata/default.json is the default):
//
//	{"accessGroups": [{"name": "TestGroup"}],
//	 "devices": [{"uuid": "…", "hostname": "bigip1.example.com", "address": "10.0.0.1",
//	   "clusterName": "BlueCluster", "accessGroupName": "TestGroup",
//	   "trustEstablished": true, "accessDiscovered": true, "accessImported": true,
//	   "failoverState": "active",
//	   "clientApps": [{"name": "maps-client", "appName": "Maps", "clientId": "…"}],
//	   "tokens": [{"id": "…", "clientId": "…", "userName": "alice"}]}]}
//
// Paths under /mock/ are the mock's own inspection endpoints; they do not
// exist on a real BIG-IQ, need no auth and are never subject to faults.
package bigiqmock
