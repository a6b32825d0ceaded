// Package source reads the checked repository: it parses each YAML file once,
// keeps every document and field with its line and column, and reports YAML
// problems as findings instead of failing.
package source
