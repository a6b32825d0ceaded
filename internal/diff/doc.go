// Package diff compares the rendered objects of two revisions of a
// repository, cluster by cluster: which objects a change adds, removes or
// changes, with a unified diff of each object's YAML, and which Flux objects
// produce them (the blast radius of the change). It writes the comparison as
// text or as Markdown for a pull-request comment.
package diff
