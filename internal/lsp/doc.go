// Package lsp is fluxlint's language server: it speaks the Language Server
// Protocol over a stream (stdio for fluxlint lsp) and publishes the findings
// of the workspace's repository as diagnostics when a YAML file is opened
// or saved. A save renders and checks again only the clusters whose renders
// read the saved file; the other clusters' findings come from a cache
// (check.Cache). The network is never used: charts come from local sources
// and the chart cache only.
//
// The protocol types and the handler table are github.com/tliron/glsp's;
// the JSON-RPC connection is github.com/sourcegraph/jsonrpc2, driven
// directly so that a test can serve on in-memory pipes.
package lsp
