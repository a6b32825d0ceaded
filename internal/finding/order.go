package finding

import (
	"cmp"
	"slices"
)

// Compare orders findings by file, line, column, rule, cluster, object,
// message, severity (most severe first) and hint, so that output is the
// same from run to run whatever order the checks produced them in.
func Compare(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.Pos.File, b.Pos.File),
		cmp.Compare(a.Pos.Line, b.Pos.Line),
		cmp.Compare(a.Pos.Col, b.Pos.Col),
		cmp.Compare(a.RuleID, b.RuleID),
		cmp.Compare(a.Cluster, b.Cluster),
		cmp.Compare(a.Object.String(), b.Object.String()),
		cmp.Compare(a.Message, b.Message),
		cmp.Compare(b.Severity, a.Severity),
		cmp.Compare(a.Hint, b.Hint),
	)
}

// Sort orders findings with Compare and drops exact duplicates, which arise
// when two clusters render the same file.
func Sort(fs []Finding) []Finding {
	slices.SortFunc(fs, Compare)
	return slices.CompactFunc(fs, func(a, b Finding) bool { return Compare(a, b) == 0 })
}
