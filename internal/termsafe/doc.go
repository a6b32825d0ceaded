// Package termsafe makes untrusted text safe to print where people read
// it: in a terminal and in a CI log. Object names, field values, messages
// and file names come from the checked repository; printed raw, an escape
// sequence would rewrite the terminal (ESC [ 2 J clears it), a newline
// followed by ::error:: or ::add-mask:: would be acted on by GitHub
// Actions as a workflow command, and a bidirectional override would show
// text in another order than it has (CVE-2021-42574, "Trojan Source").
//
// Escape writes such characters as Go escapes (\x1b, \n, \u202e), so they
// stay visible and inert. Machine formats (JSON, SARIF) keep the exact
// text and do not use this package.
package termsafe
