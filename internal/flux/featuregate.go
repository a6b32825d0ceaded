package flux

import (
	"regexp"
	"strconv"

	"github.com/fluxlint/fluxlint/internal/model"
)

// strictGate matches kustomize-controller's StrictPostBuildSubstitutions
// feature gate in a --feature-gates argument
// ("--feature-gates=StrictPostBuildSubstitutions=false,..."), or in a
// patch that adds that argument.
var strictGate = regexp.MustCompile(`StrictPostBuildSubstitutions=([A-Za-z0-9]+)`)

// kustomizeController matches the name of kustomize-controller's
// Deployment, as a patch target of a FluxInstance names it: the name, or
// a regular expression that selects it among Flux's controllers.
const kustomizeController = "kustomize-controller"

// gateIn returns the value a text gives the StrictPostBuildSubstitutions
// gate, as Kubernetes' feature gate flags parse it (strconv.ParseBool),
// and whether it gives one.
func gateIn(text string) (strict, ok bool) {
	m := strictGate.FindStringSubmatch(text)
	if m == nil {
		return false, false
	}
	v, err := strconv.ParseBool(m[1])
	return v, err == nil
}

// noteInstanceGate records the StrictPostBuildSubstitutions gate that a
// FluxInstance of the cluster itself (not one it applies to another
// cluster) sets on kustomize-controller with spec.kustomize.patches, when
// nothing set it before: a patch whose target selects the controller's
// Deployment (or has no name) and whose text sets the gate.
func (c *cluster) noteInstanceGate(fi map[string]any) {
	patches, _ := value(fi, "spec", "kustomize", "patches").([]any)
	for _, p := range patches {
		pm, _ := p.(map[string]any)
		text, _ := pm["patch"].(string)
		strict, ok := gateIn(text)
		if !ok || !targetsKustomizeController(pm) {
			continue
		}
		c.setGate(strict)
		return
	}
}

// targetsKustomizeController reports whether a kustomize patch's target
// can select kustomize-controller's Deployment: no kind or kind
// Deployment, and no name or a name (a regular expression, as kustomize
// reads it) that matches kustomize-controller.
func targetsKustomizeController(patch map[string]any) bool {
	kind, _ := value(patch, "target", "kind").(string)
	name, _ := value(patch, "target", "name").(string)
	if kind != "" && kind != "Deployment" {
		return false
	}
	if name == "" {
		return true
	}
	re, err := regexp.Compile("^(?:" + name + ")$")
	return err == nil && re.MatchString(kustomizeController)
}

// noteControllerGate records the StrictPostBuildSubstitutions gate of a
// rendered kustomize-controller Deployment's arguments, in the cluster
// itself (flux bootstrap's
// gotk-components.yaml with the patches of its kustomization.yaml), when
// nothing set it before.
func (c *cluster) noteControllerGate(o *model.Object) {
	if o.Ref.Kind != "Deployment" || o.Ref.Name != kustomizeController || o.Target != "" {
		return
	}
	containers, _ := value(o.Content, "spec", "template", "spec", "containers").([]any)
	for _, ct := range containers {
		cm, _ := ct.(map[string]any)
		args, _ := cm["args"].([]any)
		for _, a := range args {
			s, _ := a.(string)
			if strict, ok := gateIn(s); ok {
				c.setGate(strict)
				return
			}
		}
	}
}

// setGate records the gate, once; a gate that turns substitution lenient
// found after a Kustomization was rendered strictly asks for the walk to
// be done again with it from the start.
func (c *cluster) setGate(strict bool) {
	if c.gate != nil {
		return
	}
	c.gate = &strict
	if !strict && c.renderedStrict {
		c.gateLate = true
	}
}
