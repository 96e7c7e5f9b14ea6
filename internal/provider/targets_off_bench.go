//go:build bench_no_target_resolution

package provider

// Compiled only into the benchmark harness's second provider binary
// (internal/bench, section resolution), which measures what plan-time
// target resolution costs by planning the same configuration with and
// without it. A build tag rather than a setting: no released binary can
// be told to skip target_devices or the apply's drift guard.
func init() { resolveTargetsAtPlan = false }
