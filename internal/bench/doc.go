// Package bench measures the provider's speed and scale against the mock
// BIG-IQ: how promptly WaitForTask notices a finished task, a
// terraform apply against the vendor's curl-and-jq script, large
// inventories, many revocations at once and one very long token list.
//
// The in-process figures (the wait) are Go benchmarks in wait_test.go; the
// whole-process figures run the real terraform CLI through tfcli. Command
// internal/cmd/bench runs everything in one go and writes BENCHMARKS.md.
// Wall-clock times are measured and reported here, never asserted in tests.
package bench
