package main

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// scanner collects the references of the documents of one file.
type scanner struct {
	file       string
	kind       string
	apiVersion string
	refs       []reference
	defs       []defined
	selectors  []mutation
	// others are the schema mutations: types, field names, apiVersions.
	others []mutation
}

func (s *scanner) doc(root *yaml.Node) {
	s.kind = scalar(root, "kind")
	s.apiVersion = scalar(root, "apiVersion")
	s.schemaMutations(root)
	if meta := child(root, "metadata"); meta != nil {
		if n := childNode(meta, "name"); n != nil && plain(n) {
			s.defs = append(s.defs, defined{kind: s.kind, name: n.Value, at: loc{s.file, n.Line}, col: n.Column})
		}
	}
	if s.kind == "Service" {
		s.selector(root)
	}
	s.walk(root, nil, 0)
}

// selector plans a broken Service selector: the first label's value.
func (s *scanner) selector(root *yaml.Node) {
	spec := child(root, "spec")
	if spec == nil {
		return
	}
	for i := 0; i+1 < len(spec.Content); i += 2 {
		k, v := spec.Content[i], spec.Content[i+1]
		if k.Value != "selector" || v.Kind != yaml.MappingNode || len(v.Content) < 2 || !plain(v.Content[1]) {
			continue
		}
		val := v.Content[1]
		s.selectors = append(s.selectors, mutation{class: classSelector, file: s.file, line: val.Line, col: val.Column,
			old: val.Value, new: typo(val.Value), want: []loc{{s.file, k.Line}, {s.file, val.Line}}})
	}
}

// walk visits every mapping entry with its path.
func (s *scanner) walk(n *yaml.Node, path []string, parentLine int) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := append(path[:len(path):len(path)], k.Value)
			if v.Kind == yaml.ScalarNode {
				s.scalar(n, p, k, v, parentLine)
				continue
			}
			s.walk(v, p, k.Line)
		}
	case yaml.SequenceNode:
		for _, item := range n.Content {
			s.walk(item, append(path[:len(path):len(path)], "*"), parentLine)
		}
	}
}

// scalar records a reference when the path is one.
func (s *scanner) scalar(parent *yaml.Node, path []string, k, v *yaml.Node, parentLine int) {
	if !plain(v) || strings.Contains(v.Value, "${") || v.Value == "*" || v.Value == "" {
		return
	}
	if slices.Contains(path, "values") && s.kind == "HelmRelease" {
		return // a chart's input, not a reference fluxlint can see without the chart
	}
	kind, isKey, ok := s.classify(parent, path)
	if !ok {
		return
	}
	s.refs = append(s.refs, reference{at: loc{s.file, k.Line}, col: v.Column, value: v.Value, targetKind: kind, parent: parentLine, isKey: isKey,
		class: s.refClass(path)})
}

// suffixes maps path suffixes (joined with dots, "*" for any list index)
// to the kind they name; "=kind" takes the kind from the sibling kind
// field, "=self" is the document's own kind, "key" marks a key reference.
var suffixes = []struct{ suffix, kind string }{
	{"spec.dependsOn.*.name", "=self"},
	{"sourceRef.name", "=kind"},
	{"spec.chartRef.name", "=kind"},
	{"spec.healthChecks.*.name", "=kind"},
	{"spec.valuesFrom.*.name", "=kind"},
	{"spec.valuesFrom.*.valuesKey", "key"},
	{"postBuild.substituteFrom.*.name", "=kind"},
	{"secretRef.name", "Secret"},
	{"certSecretRef.name", "Secret"},
	{"secretKeyRef.name", "Secret"},
	{"secretKeyRef.key", "key"},
	{"configMapKeyRef.name", "ConfigMap"},
	{"configMapKeyRef.key", "key"},
	{"configMapRef.name", "ConfigMap"},
	{"configMap.name", "ConfigMap"},
	{"secret.secretName", "Secret"},
	{"imagePullSecrets.*.name", "Secret"},
	{"tls.*.secretName", "Secret"},
	{"serviceAccountName", "ServiceAccount"},
	{"persistentVolumeClaim.claimName", "PersistentVolumeClaim"},
	{"backend.service.name", "Service"},
	{"spec.serviceName", "Service"},
	{"backendRefs.*.name", "Service"},
	{"parentRefs.*.name", "Gateway"},
	{"roleRef.name", "=kind"},
	{"scaleTargetRef.name", "=kind"},
	{"spec.providerRef.name", "Provider"},
	{"spec.imageRepositoryRef.name", "ImageRepository"},
	{"spec.ingressClassName", "IngressClass"},
	{"spec.gatewayClassName", "GatewayClass"},
}

func (s *scanner) classify(parent *yaml.Node, path []string) (kind string, isKey, ok bool) {
	joined := strings.Join(path, ".")
	for _, sf := range suffixes {
		if joined != sf.suffix && !strings.HasSuffix(joined, "."+sf.suffix) {
			continue
		}
		switch sf.kind {
		case "=self":
			return s.kind, false, true
		case "=kind":
			kind := scalar(parent, "kind")
			if kind == "" && s.kind == "Kustomization" && strings.HasSuffix(joined, "sourceRef.name") {
				kind = "GitRepository"
			}
			return kind, false, true
		case "key":
			return "", true, true
		}
		return sf.kind, false, true
	}
	if joined == "subjects.*.name" && scalar(parent, "kind") == "ServiceAccount" {
		return "ServiceAccount", false, true
	}
	return "", false, false
}

func plain(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Style == 0 }

func childNode(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func child(m *yaml.Node, key string) *yaml.Node {
	n := childNode(m, key)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	return n
}

func scalar(m *yaml.Node, key string) string {
	n := childNode(m, key)
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// fluxFields are the reference fields that Flux defines.
var fluxFields = []string{"dependsOn", "sourceRef", "chartRef", "healthChecks", "valuesFrom", "substituteFrom", "providerRef", "imageRepositoryRef"}

// refClass says whether a reference is Flux's, Kubernetes', or inside a
// custom resource (a group neither Kubernetes nor Flux defines).
func (s *scanner) refClass(path []string) string {
	group, _, found := strings.Cut(s.apiVersion, "/")
	if !found {
		group = ""
	}
	if strings.HasSuffix(group, ".fluxcd.io") {
		for _, f := range fluxFields {
			if slices.Contains(path, f) {
				return classFluxRef
			}
		}
		return classK8sRef
	}
	if group == "" || !strings.Contains(group, ".") || strings.HasSuffix(group, ".k8s.io") {
		return classK8sRef
	}
	return classCRRef
}

// removedAPIs maps served apiVersions of kinds to ones their servers no
// longer serve.
var removedAPIs = map[string]string{
	"apps/v1 Deployment":                           "extensions/v1beta1",
	"networking.k8s.io/v1 Ingress":                 "extensions/v1beta1",
	"policy/v1 PodDisruptionBudget":                "policy/v1beta1",
	"batch/v1 CronJob":                             "batch/v1beta1",
	"kustomize.toolkit.fluxcd.io/v1 Kustomization": "kustomize.toolkit.fluxcd.io/v1beta1",
	"helm.toolkit.fluxcd.io/v2 HelmRelease":        "helm.toolkit.fluxcd.io/v2beta1",
	"source.toolkit.fluxcd.io/v1 GitRepository":    "source.toolkit.fluxcd.io/v1beta1",
	"source.toolkit.fluxcd.io/v1 HelmRepository":   "source.toolkit.fluxcd.io/v1beta1",
	"autoscaling/v2 HorizontalPodAutoscaler":       "autoscaling/v2beta1",
}

// schemaMutations plans, for a document, an apiVersion its server no longer
// serves, a word in its first integer field under spec, and a misspelt
// name of its first field under spec.
func (s *scanner) schemaMutations(root *yaml.Node) {
	if v := childNode(root, "apiVersion"); v != nil && plain(v) {
		if old, ok := removedAPIs[v.Value+" "+s.kind]; ok {
			s.others = append(s.others, mutation{class: classRemovedAPI, file: s.file, line: v.Line, col: v.Column,
				old: v.Value, new: old, want: []loc{{s.file, v.Line}}})
		}
	}
	spec := child(root, "spec")
	if spec == nil || strings.HasSuffix(s.kind, "List") || s.kind == "CustomResourceDefinition" {
		return
	}
	for i := 1; i < len(spec.Content); i += 2 {
		v := spec.Content[i]
		if v.Kind == yaml.ScalarNode && v.Tag == "!!int" && plain(v) {
			s.others = append(s.others, mutation{class: classType, file: s.file, line: v.Line, col: v.Column,
				old: v.Value, new: "many", want: []loc{{s.file, v.Line}}})
			break
		}
	}
	if len(spec.Content) >= 2 {
		k := spec.Content[0]
		if plain(k) && len(k.Value) > 3 && !strings.Contains(k.Value, "$") {
			s.others = append(s.others, mutation{class: classField, file: s.file, line: k.Line, col: k.Column,
				old: k.Value, new: k.Value + "x", want: []loc{{s.file, k.Line}}})
		}
	}
}
