// Package provider implements the bigiq Terraform provider
// (terraform-plugin-framework, protocol 6). All BIG-IQ traffic goes through
// the client in internal/bigiq.
//
// Each file is named for the Terraform object it implements, or for the
// logic it holds:
//
//   - provider.go: the provider's schema, Configure and the clients it
//     opened; provider_settings.go merges its configuration with the
//     BIGIQ_* environment.
//   - resource_oauth_token_revocation.go: bigiq_oauth_token_revocation,
//     every method of the resource.
//   - action_revoke_oauth_tokens.go: the bigiq_revoke_oauth_tokens action,
//     which runs through the resource's code.
//   - list_resource_oauth_token_revocation.go: the list resource of
//     bigiq_oauth_token_revocation, for `terraform query`.
//   - data_source_*.go: bigiq_devices, bigiq_access_groups,
//     bigiq_oauth_client_apps and bigiq_oauth_token_revocation_tasks.
//   - revocation_*.go: what the resource, the action and the list resource
//     share: the model, the checks of the arguments, the targets shown in
//     the plan and checked again before the task starts, the run, its
//     outcome and its diagnostics, and the task filters.
//   - fast_read*.go and computed_attributes.go: the list data sources'
//     state, served past the framework's post-Read pass (see fast_read.go).
//
// A list data source (bigiq_devices, bigiq_access_groups,
// bigiq_oauth_client_apps) declares a computedAttributes table of its
// objects' attributes; its schema's list is the table's listAttribute and
// its Read hands table.list(items) to setListState. Nothing else of the
// fast path needs knowing. The fast path relies on three things in
// terraform-plugin-framework: its protocol server passes the request's
// context through to Read (setListState finds its sink there); after
// Read it changes nothing in a state of base types without blocks (no
// semantic equality, no null blocks to reify); and it encodes the state
// as tfprotov6.NewDynamicValue does. A framework upgrade that breaks one
// fails TestFastReadByteIdentical (both paths' states byte for byte, for
// every list data source), TestFastReadServesTheListDataSources (the
// wrapper and the server's shape) or TestMsgPackMatchesTFTypes (the
// encoding).
package provider
