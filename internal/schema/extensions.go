package schema

// extensionsMoves are the kinds of the extensions/v1beta1 API, which
// Kubernetes removed group and all before the oldest embedded version, so
// the embedded schemas do not show them as served once: each with the group
// that serves it now and the Kubernetes release that stopped serving it
// (Kubernetes' deprecated API migration guide). Written by hand because no
// embedded schema still names the group.
var extensionsMoves = map[string]struct{ group, removedIn string }{
	"Deployment":    {"apps", "1.16"},
	"DaemonSet":     {"apps", "1.16"},
	"ReplicaSet":    {"apps", "1.16"},
	"NetworkPolicy": {"networking.k8s.io", "1.16"},
	"Ingress":       {"networking.k8s.io", "1.22"},
}

// removedGroup returns, for a kind of a Kubernetes API group that no
// embedded version serves at all any more (extensions/v1beta1), the
// apiVersions that serve the kind now and the release that removed it.
func (c *catalog) removedGroup(k gvk) (served []string, removedIn string, ok bool) {
	if k.group != "extensions" {
		return nil, "", false
	}
	m, ok := extensionsMoves[k.kind]
	if !ok {
		return nil, "", false
	}
	served = c.kindVersion[gvk{group: m.group, kind: k.kind}]
	return served, m.removedIn, len(served) > 0
}
