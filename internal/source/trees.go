package source

import (
	"sync"

	"gopkg.in/yaml.v3"
)

// A treeBudget bounds the node trees that the documents of a Repo's files
// keep (Repo.KeepTrees). yaml.v3 spends about 150 bytes a node, several
// hundred a line of YAML: the trees of a large cluster's files are most of
// the memory its render holds, while the checks look at a tree again only
// to place a finding. Documents enter the budget when parsed, oldest first
// out: past the budget, the oldest documents drop their trees, which Root
// parses again from the file's text if asked.
type treeBudget struct {
	mu sync.Mutex
	// limit is the number of document lines whose trees are kept.
	limit int
	// lines counts the lines of the documents in queue.
	lines int
	// queue holds the documents that keep a tree, oldest first, from
	// head on.
	queue []*Document
	head  int
	// reparsed counts the trees parsed again, for tests.
	reparsed int
}

// docLines is the number of lines a document counts for in a budget.
func docLines(d *Document) int {
	return max(d.EndLine-d.StartLine+1, 1)
}

// add enters the documents of a file, or one whose tree was parsed again,
// and drops the trees of the oldest documents past the limit. A nil budget
// keeps every tree.
func (b *treeBudget) add(docs ...*Document) {
	if b == nil {
		return
	}
	b.mu.Lock()
	for _, d := range docs {
		b.queue = append(b.queue, d)
		b.lines += docLines(d)
	}
	var drop []*Document
	for b.lines > b.limit && b.head < len(b.queue) {
		d := b.queue[b.head]
		b.queue[b.head] = nil
		b.head++
		b.lines -= docLines(d)
		drop = append(drop, d)
	}
	if b.head > len(b.queue)/2 {
		b.queue = append(b.queue[:0], b.queue[b.head:]...)
		b.head = 0
	}
	b.mu.Unlock()
	for _, d := range drop {
		d.drop()
	}
}

// clear drops every tree in the budget.
func (b *treeBudget) clear() {
	if b == nil {
		return
	}
	b.mu.Lock()
	drop := b.queue[b.head:]
	b.queue, b.head, b.lines = nil, 0, 0
	b.mu.Unlock()
	for _, d := range drop {
		d.drop()
	}
}

// noteReparsed counts a tree parsed again.
func (b *treeBudget) noteReparsed() {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.reparsed++
	b.mu.Unlock()
}

// drop lets the document's tree go; Root parses it again.
func (d *Document) drop() {
	d.mu.Lock()
	d.node = nil
	d.mu.Unlock()
}

// parseAgain parses the document's text as Parse did. Only documents of a
// file that a Repo parsed whole are dropped, so their lines are the file's
// StartLine to EndLine. The text parsed the first time, so it parses
// again; should it not, the root is an empty mapping at the document's
// first line rather than nil.
func (d *Document) parseAgain() *yaml.Node {
	d.File.budget.noteReparsed()
	lines := d.File.Lines
	start, end := d.StartLine-1, min(d.EndLine, len(lines))
	if start >= 0 && start <= end {
		if root, err := decodeChunk(chunk{start: start, lines: lines[start:end]}); err == nil && root != nil {
			return root
		}
	}
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: d.StartLine, Column: 1}
}
