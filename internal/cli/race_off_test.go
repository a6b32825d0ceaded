//go:build !race

package cli

// raceDetector is set when the tests run under the race detector.
const raceDetector = false
