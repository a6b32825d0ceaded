// Package schema validates rendered Kubernetes objects against the schemas
// embedded by package schemas: the built-in types of several Kubernetes
// versions and the CRDs of several Flux releases (FluxVersions), one of
// each chosen per Validator. Which apiVersions a later Kubernetes version or
// Flux release stops serving is read from the same embedded data.
//
// Validation is strict, as with the API server's strict field validation:
// an unknown field is an error, explicit nulls count as absent, quantities
// accept strings and numbers, and int-or-string fields accept both. A
// Validator compiles the schema of each group/version/kind the first time it
// meets it and caches it; it is safe for concurrent use.
//
// An object whose group is unknown has no schema (NoSchema); an object whose
// group is known but whose apiVersion does not serve its kind is reported as
// UnservedVersion together with the apiVersions that do.
//
// Checker is the pipeline's schema check: it validates each rendered
// cluster with the validator of the cluster's versions and its CRDs, and
// reports the schema- rules (Rules).
package schema
