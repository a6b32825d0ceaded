// Package xref checks referential integrity: it indexes every object a
// cluster renders (and the objects something in the cluster will make, such
// as the Secret of an ExternalSecret or the default ServiceAccount of a
// namespace) and reports each reference that names nothing, at the line
// where the reference is written, with the closest existing name as a hint.
//
// A reference whose target could be made by something fluxlint does not
// render (a HelmRelease chart, a Kustomization whose source is unavailable
// offline) is unknown and never reported: fluxlint prefers a missed error to
// a false one there.
package xref
