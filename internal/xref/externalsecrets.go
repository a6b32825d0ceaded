package xref

import (
	"strings"

	"github.com/fluxlint/fluxlint/internal/model"
)

// checkExternalSecrets checks the stores an ExternalSecret or PushSecret
// names, and the Secret a PushSecret pushes.
func (r *reporter) checkExternalSecrets(o *model.Object) {
	if !strings.HasPrefix(model.Group(o.Ref.APIVersion), "external-secrets.io") {
		return
	}
	switch o.Ref.Kind {
	case "ExternalSecret":
		r.secretStore(o, []string{"spec", "secretStoreRef"}, mapAt(o.Content, "spec", "secretStoreRef"), "secretStoreRef")
		for _, field := range []string{"data", "dataFrom"} {
			for i, d := range listAt(o.Content, "spec", field) {
				r.secretStore(o, []string{"spec", field, itoa(i), "sourceRef", "storeRef"}, mapAt(asMap(d), "sourceRef", "storeRef"),
					field+" sourceRef.storeRef")
			}
		}
	case "PushSecret":
		for i, s := range listAt(o.Content, "spec", "secretStoreRefs") {
			r.secretStore(o, []string{"spec", "secretStoreRefs", itoa(i)}, asMap(s), "secretStoreRefs")
		}
		if name := str(o.Content, "spec", "selector", "secret", "name"); !skipName(name) {
			r.resolve(ref{obj: o, path: []string{"spec", "selector", "secret", "name"}, kind: "Secret", namespace: o.Ref.Namespace,
				name: name, rule: RuleSecretMissing, what: "selector.secret"})
		}
	}
}

// secretStore checks a reference to a SecretStore (in the object's
// namespace, the default kind) or ClusterSecretStore. A reference by
// labelSelector selects any. path is where m, the reference, is.
func (r *reporter) secretStore(o *model.Object, path []string, m map[string]any, what string) {
	name := str(m, "name")
	if m == nil || value(m, "labelSelector") != nil || skipName(name) {
		return
	}
	kind := orDefault(str(m, "kind"), "SecretStore")
	ns := o.Ref.Namespace
	switch kind {
	case "ClusterSecretStore":
		ns = ""
	case "SecretStore":
	default:
		return
	}
	rf := ref{obj: o, path: join(path, "name"), kind: kind, namespace: ns, name: name,
		rule: RuleSecretStoreMissing, what: what}
	if kind == "ClusterSecretStore" {
		r.resolveClusterScoped(rf)
		return
	}
	r.resolve(rf)
}
