// Package e2e holds whole-process tests: the real terraform CLI runs the
// built provider binary against a mock BIG-IQ, so what only a real run shows
// (signals, trace logs, state and plan files, many resources in parallel)
// is tested.
package e2e
