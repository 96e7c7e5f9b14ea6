//go:build race

package bigiqmock

// The race detector slows JSON encoding tenfold; scale tests shrink under it.
const raceEnabled = true
