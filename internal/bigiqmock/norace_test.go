//go:build !race

package bigiqmock

const raceEnabled = false
