package render

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"

	"github.com/fluxcd/pkg/envsubst"
	fluxkustomize "github.com/fluxcd/pkg/kustomize"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/resource"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// A substituter runs Flux's postBuild substitution for one Kustomization,
// with the ConfigMaps and Secrets of substituteFrom taken from the cluster's
// rendered objects through a fake Kubernetes client.
type substituter struct {
	ctx      context.Context
	req      Request
	ks       unstructured.Unstructured
	client   client.Client
	findings []finding.Finding
	// secrets holds the values of the variables read from Secrets, which
	// output must never show.
	secrets map[string]bool
	// unknownVars is set when a substituteFrom object is made in the
	// cluster by something else (an ExternalSecret's Secret), or is not
	// optional and made by nothing the cluster renders (reported once):
	// its variables are unknown, so a variable without a value is not a
	// finding.
	unknownVars bool
	// env and unmet keep, for withOwnOutput, where the objects were
	// looked up and the substituteFrom entries (kind, name) that named
	// nothing rendered so far.
	env   Env
	base  context.Context
	unmet [][2]string
}

var varNotSet = regexp.MustCompile(`variable not set \(strict mode\): "([^"]*)"`)

// newSubstituter returns nil when the Kustomization has no postBuild, as
// Flux then does no substitution.
func newSubstituter(ctx context.Context, req Request, env Env) *substituter {
	// Work on a copy: missing references are made optional below.
	s := &substituter{ctx: ctx, req: req, ks: *req.Kustomization.DeepCopy(), env: env, base: ctx, unknownVars: req.VarsUnknown}
	spec, _ := s.ks.Object["spec"].(map[string]any)
	postBuild, ok := spec["postBuild"].(map[string]any)
	if !ok {
		return nil
	}
	var found []*model.Object
	refs, _ := postBuild["substituteFrom"].([]any)
	for i, r := range refs {
		ref, _ := r.(map[string]any)
		kind, _ := ref["kind"].(string)
		name, _ := ref["name"].(string)
		optional, _ := ref["optional"].(bool)
		var obj *model.Object
		if env != nil {
			obj = env.Lookup(kind, req.Kustomization.GetNamespace(), name)
		}
		if obj != nil {
			found = append(found, obj)
			if env.MadeBy(kind, req.Kustomization.GetNamespace(), name) != "" {
				// Something in the cluster writes it too (an
				// ExternalSecret over a Secret of placeholders in
				// Git): its keys there are not all known offline.
				s.unknownVars = true
			}
			continue
		}
		s.unmet = append(s.unmet, [2]string{kind, name})
		if env != nil && env.MadeBy(kind, req.Kustomization.GetNamespace(), name) != "" {
			s.unknownVars = true
			ref["optional"] = true
			continue
		}
		if pos, ok := definedOutside(env, kind, name); ok && !optional {
			s.unknownVars = true
			ref["optional"] = true
			s.findings = append(s.findings, finding.Finding{
				RuleID: RuleSubstituteFrom, Severity: finding.Info,
				Pos:     s.posOf("spec", "postBuild", "substituteFrom", fmt.Sprint(i), "name"),
				Object:  refOfSource(req.Source),
				Message: fmt.Sprintf("substituteFrom names %s %s/%s, which no render of this cluster produces; the repository defines one at %s, outside Flux's renders: applied by hand or at bootstrap?", kind, req.Kustomization.GetNamespace(), name, pos),
				Hint:    "if it is applied outside Flux, declare it in externalObjects (.fluxlint.yaml)",
			})
			continue
		}
		if !optional {
			s.findings = append(s.findings, finding.Finding{
				RuleID: RuleSubstituteFrom, Severity: finding.Error,
				Pos:     s.posOf("spec", "postBuild", "substituteFrom", fmt.Sprint(i), "name"),
				Object:  refOfSource(req.Source),
				Names:   &finding.ObjectRef{APIVersion: "v1", Kind: kind, Namespace: req.Kustomization.GetNamespace(), Name: name},
				Message: fmt.Sprintf("substituteFrom names %s %s/%s, which no render of this cluster produces; Flux fails the Kustomization (set optional: true, or declare the object as existing in the cluster)", kind, req.Kustomization.GetNamespace(), name),
			})
			// Carry on without its variables, so that the rest is checked.
			// Flux stops at the missing object, and what it would hold
			// (often written by Terraform or a script) is not known: a
			// variable without a value here is that one finding, not
			// one finding each.
			s.unknownVars = true
			ref["optional"] = true
		}
	}
	s.client = FakeClient(found)
	s.secrets = map[string]bool{}
	for _, v := range req.SecretValues {
		s.secrets[v] = true
	}
	s.ctx = fluxkustomize.ContextWithSecretVarsCollector(ctx, func(vars map[string]string) {
		for _, v := range vars {
			if v != "" {
				s.secrets[v] = true
			}
		}
	})
	return s
}

// definedOutside asks env where the repository defines an object outside
// the cluster's renders.
func definedOutside(env Env, kind, name string) (finding.Pos, bool) {
	if env == nil {
		return finding.Pos{}, false
	}
	return env.DefinedOutside(kind, name)
}

func (s *substituter) posOf(path ...string) finding.Pos {
	if s.req.Source == nil {
		return s.req.At
	}
	return s.req.Source.PosOf(path)
}

func refOfSource(o *model.Object) finding.ObjectRef {
	if o == nil {
		return finding.ObjectRef{}
	}
	return o.Ref
}

// typedObject turns a rendered ConfigMap or Secret into the typed object the
// fake client serves. A Secret's stringData counts as data, as the API
// server would store it.
func typedObject(o *model.Object) client.Object {
	meta := metav1.ObjectMeta{Name: o.Ref.Name, Namespace: o.Ref.Namespace}
	if o.Ref.Kind == "Secret" {
		sec := &corev1.Secret{ObjectMeta: meta, Data: map[string][]byte{}}
		data, _ := o.Content["data"].(map[string]any)
		for k, v := range data {
			if raw, err := base64.StdEncoding.DecodeString(fmt.Sprint(v)); err == nil {
				sec.Data[k] = raw
			}
		}
		strData, _ := o.Content["stringData"].(map[string]any)
		for k, v := range strData {
			sec.Data[k] = []byte(fmt.Sprint(v))
		}
		return sec
	}
	cm := &corev1.ConfigMap{ObjectMeta: meta, Data: map[string]string{}}
	data, _ := o.Content["data"].(map[string]any)
	for k, v := range data {
		cm.Data[k] = fmt.Sprint(v)
	}
	return cm
}

// apply substitutes one resource in strict mode, as kustomize-controller 1.9
// does. Each variable without a value or default is a finding where it is
// written; the resource is then substituted leniently so checks go on. It
// returns nil for a resource that cannot be substituted at all.
func (s *substituter) apply(res *resource.Resource, obj *model.Object) (*resource.Resource, []finding.Finding) {
	copyRes := res.DeepCopy()
	// Flux substitutes only when it has variables. A substituteFrom object
	// made in the cluster has some, unknown here: substitute even when
	// none is known, so that a ${VAR:=default} takes its default rather
	// than staying as written.
	always := fluxkustomize.SubstituteWithAlways(s.unknownVars)
	out, err := fluxkustomize.SubstituteVariables(s.ctx, s.client, s.ks, copyRes, fluxkustomize.SubstituteWithStrict(true), always)
	if err == nil {
		if out == nil {
			return res, nil // substitution disabled for this resource
		}
		return out, nil
	}
	if !varNotSet.MatchString(err.Error()) {
		return nil, []finding.Finding{{
			RuleID: RuleSubstitute, Severity: finding.Error, Pos: obj.Origin, Object: obj.Ref, Chain: obj.Chain,
			Message: "postBuild substitution failed: " + err.Error(),
		}}
	}
	var fs []finding.Finding
	for _, name := range s.missingVariables(res) {
		if s.unknownVars {
			break
		}
		f := finding.Finding{
			RuleID: RuleUnresolved, Severity: finding.Error, Pos: textPos(obj, "${"+name), Object: obj.Ref, Chain: obj.Chain,
			Message: fmt.Sprintf("variable %q has no value and no default: not in postBuild.substitute nor in substituteFrom; Flux's strict substitution fails the Kustomization", name),
			Hint:    fmt.Sprintf("add %s to spec.postBuild.substitute, or write ${%s:=default}", name, name),
		}
		if s.req.Lenient {
			f.Severity = finding.Warning
			f.Message = fmt.Sprintf("variable %q has no value and no default: not in postBuild.substitute nor in substituteFrom; this cluster's kustomize-controller substitutes an empty string (Flux before 2.9, or its StrictPostBuildSubstitutions feature gate turned off), and strict substitution, the default from Flux 2.9, fails the Kustomization", name)
		}
		fs = append(fs, f)
	}
	ks := s.ks
	if s.unknownVars {
		ks = s.keeping(s.missingVariables(res))
	}
	lenient, err := fluxkustomize.SubstituteVariables(s.ctx, s.client, ks, res.DeepCopy(), fluxkustomize.SubstituteWithStrict(false), always)
	if err != nil || lenient == nil {
		return res, fs
	}
	for i := range fs {
		fs[i].Object = refOf(lenient)
	}
	return lenient, fs
}

// keeping returns the Kustomization with each of names substituted by
// itself: when a substituteFrom object is made in the cluster, a variable
// without a value here has one there that an offline check cannot know,
// and "${NAME}" says so where "" would be a wrong value (a hostname
// "app." instead of "app.${DOMAIN}").
func (s *substituter) keeping(names []string) unstructured.Unstructured {
	ks := *s.ks.DeepCopy()
	inline := map[string]any{}
	if m, ok, _ := unstructured.NestedMap(ks.Object, "spec", "postBuild", "substitute"); ok {
		inline = m
	}
	for _, n := range names {
		if _, set := inline[n]; !set {
			inline[n] = "${" + n + "}"
		}
	}
	if err := unstructured.SetNestedMap(ks.Object, inline, "spec", "postBuild", "substitute"); err != nil {
		return s.ks
	}
	return ks
}

// variables returns the variables Flux substitutes: those of the
// substituteFrom ConfigMaps and Secrets, overridden by postBuild.substitute.
func (s *substituter) variables() (map[string]string, error) {
	vars, err := fluxkustomize.LoadVariables(s.ctx, s.client, s.ks)
	if err != nil {
		return nil, err
	}
	spec, _ := s.ks.Object["spec"].(map[string]any)
	postBuild, _ := spec["postBuild"].(map[string]any)
	inline, _ := postBuild["substitute"].(map[string]any)
	for k, v := range inline {
		vars[k] = fmt.Sprint(v)
	}
	return vars, nil
}

// cacheInputs returns what, besides the build, a render depends on: the
// variables, and which values come from Secrets. A render is kept only
// when substitution found all it names.
func (s *substituter) cacheInputs() (vars map[string]string, secret map[string]bool, ok bool) {
	if s == nil {
		return nil, nil, true
	}
	if len(s.findings) > 0 || s.unknownVars {
		return nil, nil, false
	}
	vars, err := s.variables()
	if err != nil {
		return nil, nil, false
	}
	return vars, s.secrets, true
}

// missingVariables lists every variable of the resource that has no value
// and no default, by evaluating it with Flux's envsubst until it passes.
func (s *substituter) missingVariables(res *resource.Resource) []string {
	vars, err := s.variables()
	if err != nil {
		vars = map[string]string{}
	}
	text, err := res.AsYAML()
	if err != nil {
		return nil
	}
	missing := map[string]bool{}
	var order []string
	for range 100 {
		_, err := envsubst.Eval(string(text), func(name string) (string, bool) {
			if v, ok := vars[name]; ok {
				return v, true
			}
			return "", missing[name]
		})
		m := varNotSet.FindStringSubmatch(fmt.Sprint(err))
		if err == nil || m == nil || missing[m[1]] {
			break
		}
		missing[m[1]] = true
		order = append(order, m[1])
	}
	return order
}

// textPos finds where text is written in the object's document or patches.
func textPos(obj *model.Object, text string) finding.Pos {
	for _, d := range obj.Docs() {
		if pos, ok := d.FindText(text); ok && boundaryAfter(d.File.Lines[pos.Line-1], pos.Col-1+len(text)) {
			return pos
		}
	}
	return obj.Origin
}

func boundaryAfter(line string, i int) bool {
	if i >= len(line) {
		return true
	}
	c := line[i]
	isName := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	return !isName
}

// secretValues returns the Secret-derived variable values, sorted.
func (s *substituter) secretValues() []string {
	out := make([]string, 0, len(s.secrets))
	for v := range s.secrets {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// withOwnOutput returns the substituter again with the substituteFrom
// objects that nothing rendered before but the build itself makes (the
// cluster-settings ConfigMap of a home-lab cluster's own Kustomization):
// Flux substitutes from what the cluster holds, and once the Kustomization
// has applied them (a bootstrap applies the settings first) they are its
// own output. It returns s when the build makes none of them. It reads the
// built resources, so it runs under kbuild.Reading.
func (s *substituter) withOwnOutput(res resmap.ResMap) *substituter {
	if s == nil || len(s.unmet) == 0 {
		return s
	}
	ns := s.req.Kustomization.GetNamespace()
	var own []*model.Object
	for _, u := range s.unmet {
		for _, r := range res.Resources() {
			if r.GetKind() == u[0] && r.GetName() == u[1] && r.GetNamespace() == ns && r.GetApiVersion() == "v1" {
				content, err := r.Map()
				if err != nil {
					continue
				}
				own = append(own, &model.Object{Ref: finding.ObjectRef{APIVersion: "v1", Kind: u[0], Namespace: ns, Name: u[1]}, Content: content})
			}
		}
	}
	if len(own) == 0 {
		return s
	}
	return newSubstituter(s.base, s.req, ownOutput{Env: s.env, own: own})
}

// ownOutput is an Env that also finds the objects a build makes itself.
type ownOutput struct {
	Env
	own []*model.Object
}

// Lookup implements Env.
func (e ownOutput) Lookup(kind, namespace, name string) *model.Object {
	for _, o := range e.own {
		if o.Ref.Kind == kind && o.Ref.Namespace == namespace && o.Ref.Name == name {
			return o
		}
	}
	if e.Env == nil {
		return nil
	}
	return e.Env.Lookup(kind, namespace, name)
}

// MadeBy implements Env.
func (e ownOutput) MadeBy(kind, namespace, name string) string {
	if e.Env == nil {
		return ""
	}
	return e.Env.MadeBy(kind, namespace, name)
}

// DefinedOutside implements Env.
func (e ownOutput) DefinedOutside(kind, name string) (finding.Pos, bool) {
	if e.Env == nil {
		return finding.Pos{}, false
	}
	return e.Env.DefinedOutside(kind, name)
}
