// Package gitrev reads a Git revision of the repository fluxlint checks,
// without writing to it: the files that changed since the revision
// (--changed-since) and the revision's tree, extracted into a folder of
// its own (fluxlint diff, --new-from-rev). It runs the git command.
package gitrev
