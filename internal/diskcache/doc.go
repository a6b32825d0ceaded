// Package diskcache keeps byte blobs in the user's fluxlint cache folder,
// shared by concurrent fluxlint runs.
//
// Blobs are written atomically (a temporary file renamed into place), so a
// reader never sees half a blob, and a hit refreshes the file's modification
// time, so Prune can remove the least recently used files first. Prune covers
// the whole folder, including the chart cache that internal/helm keeps in it.
package diskcache
