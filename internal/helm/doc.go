// Package helm renders Flux HelmReleases offline as the helm-controller
// would: it resolves the chart from a local source, the chart cache or a
// chart repository, merges values with Flux's own chartutil, and templates
// the chart with the Helm 4 SDK in client-only mode.
package helm
