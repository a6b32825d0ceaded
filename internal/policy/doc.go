// Package policy evaluates Rego policies over rendered objects with OPA:
// fluxlint's built-in rules (the rules folder, embedded) and the user's
// policy folders, written as for conftest. A policy's deny, violation and
// warn rules (and rules named with those words and an underscore suffix,
// deny_image) return messages, or objects with a msg and an optional path
// to a field of the object; each becomes a finding at the source position
// of the object, or of that field.
//
// Policies are compiled once per run and evaluated in parallel, one object
// at a time as input (or, with Combine, the whole cluster as a list of
// {path, contents} as conftest's --combine does), each evaluation under a
// time limit. Builtins that reach the network (http.send, net.lookup_ip_addr)
// or the process environment (opa.runtime) are refused at compile time: a
// policy that calls one is reported as a policy-error finding and the
// others still run.
package policy
