// Package cache is the one layer between fluxlint's stages and the cache
// folder (package diskcache): it owns the keys (every key depends on a
// salt naming the fluxlint build), the sealing of records that may hold
// values read from Secrets, the hashes of the files a record depends on,
// and the counting of lookups.
//
// A stage keeps its records in a Bucket of a Store and decides what they
// hold and what they depend on; the Store is the run's (check.Deps), so a
// stage that gets none keeps nothing.
package cache
