//go:build race

package gen

// raceEnabled: the race detector makes excelize's XML decoding ~8x slower.
const raceEnabled = true
