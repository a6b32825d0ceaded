package model

import "strings"

// groupTofu is the API group of tofu-controller (Flux's Terraform
// controller).
const groupTofu = "infra.contrib.fluxcd.io"

// terraformOutputs returns the Secret a tofu-controller Terraform writes its
// outputs to (spec.writeOutputsToSecret.name), in its namespace, with the
// outputs it lists as keys (writeOutputsToSecret.outputs; both names of a
// renamed "output:key" item are taken); all the outputs, unknown here,
// without a list.
func terraformOutputs(o *Object, by string) []Made {
	name := str(o.Content, "spec", "writeOutputsToSecret", "name")
	if name == "" || o.Ref.Namespace == "" {
		return nil
	}
	m := Made{Kind: "Secret", Namespace: o.Ref.Namespace, Name: name, By: by}
	if list, ok := value(o.Content, "spec", "writeOutputsToSecret", "outputs").([]any); ok && len(list) > 0 {
		m.Keys = map[string]bool{}
		for _, item := range list {
			s, _ := item.(string)
			for _, k := range strings.Split(s, ":") {
				if k != "" {
					m.Keys[k] = true
				}
			}
		}
	}
	return []Made{m}
}
