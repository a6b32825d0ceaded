package render

import (
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/kustomize/api/resource"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// encryptedIdentity handles a SOPS-encrypted resource whose apiVersion,
// kind, namespace or name is itself a ciphertext (a whole document
// encrypted, with no encrypted_regex). kustomize-controller decrypts any
// resource with a sops stanza and a mac (isSOPSEncryptedResource in
// internal/decryptor) when the Kustomization has spec.decryption, so what
// the object is becomes known only then: it is left out of the checks,
// with a note. Without spec.decryption Flux applies the ciphertext as it
// is, which the API server rejects. ok is false for other resources.
func encryptedIdentity(req Request, res *resource.Resource, obj *model.Object) (f finding.Finding, ok bool) {
	sops := res.Field("sops")
	if sops.IsNilOrEmpty() || sops.Value.Field("mac").IsNilOrEmpty() {
		return finding.Finding{}, false
	}
	encrypted := false
	for _, v := range []string{res.GetApiVersion(), res.GetKind(), res.GetNamespace(), res.GetName()} {
		if strings.HasPrefix(v, "ENC[") {
			encrypted = true
		}
	}
	if !encrypted {
		return finding.Finding{}, false
	}
	f = finding.Finding{RuleID: RuleIdentity, Severity: finding.Info, Pos: obj.Origin, Chain: req.Chain,
		Message: "SOPS-encrypted object whose apiVersion, kind, namespace or name is encrypted too: Flux decrypts it before applying it, so what it is is not known offline and it is not checked"}
	provider, _, _ := unstructured.NestedString(req.Kustomization.Object, "spec", "decryption", "provider")
	if req.Source != nil && provider != "sops" {
		f.Severity = finding.Error
		f.Message = "SOPS-encrypted object whose apiVersion, kind, namespace or name is encrypted too, in a Kustomization without spec.decryption: Flux applies the ciphertext as it is, and the API server rejects it"
	}
	return f, true
}
