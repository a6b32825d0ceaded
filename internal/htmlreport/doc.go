// Package htmlreport writes an offline, self-contained HTML report of a
// check: per cluster, the graph of Flux Kustomizations and HelmReleases
// coloured by their worst finding, a tree from the cluster down to each
// rendered object, every object's YAML (secret values masked) with its
// source, the findings with filters, and optionally the diff between two
// revisions. The page embeds its CSS and JavaScript and loads nothing from
// the network, so it works when opened from a file.
package htmlreport
