package xref

import "github.com/fluxlint/fluxlint/internal/model"

// checkReceiverToken checks that the Secret of a Receiver, when its keys
// are known, has the token key that notification-controller verifies
// webhooks with. (checkFlux reports a missing Secret.)
func (r *reporter) checkReceiverToken(o *model.Object) {
	if !model.IsKind(o, model.GroupNotification, "Receiver") {
		return
	}
	path := []string{"spec", "secretRef", "name"}
	name := str(o.Content, path...)
	e, st := r.ix.lookup("Secret", o.Ref.Namespace, name)
	if st != found {
		return
	}
	r.key(ref{obj: o, path: path, kind: "Secret", namespace: o.Ref.Namespace, name: name, rule: RuleSecretMissing, what: "secretRef"},
		e, "token", path)
}
