package report

// securitySeverities scores the rules about security from 0.0 to 10.0, as
// GitHub code scanning ranks them: 9.0 and above critical, 7.0 high, 4.0
// medium, below that low. Committed credentials come first (anyone who
// reads the repository has them), then what gives a container the node,
// then what widens what a compromised container can do.
var securitySeverities = map[string]string{
	"policy-secret-private-key":          "9.0",
	"policy-secret-registry-credentials": "8.0",
	"policy-secret-plain-text":           "7.5",
	"policy-privileged":                  "7.5",
	"policy-host-namespaces":             "7.0",
	"policy-host-path":                   "6.5",
	"policy-privilege-escalation":        "6.0",
	"policy-capabilities":                "5.5",
	"policy-run-as-non-root":             "4.5",
}

// SecuritySeverity returns the security-severity score of a rule about
// security, as a number in a string ("9.0"), or "" for other rules.
func SecuritySeverity(id string) string { return securitySeverities[id] }

// SecurityRules lists the IDs of the rules about security, unsorted.
func SecurityRules() []string {
	ids := make([]string, 0, len(securitySeverities))
	for id := range securitySeverities {
		ids = append(ids, id)
	}
	return ids
}
