// Package report prints a check's findings in the formats users ask for.
// Each format lives in its own file and writes to any io.Writer.
package report
