package model

import (
	"testing"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/source"
)

// TestPosOfMergedMapping checks where a field of a patched object stands: a
// scalar or a mapping that a strategic merge patch sets is in the patch; a
// mapping that the patch merges into the document's is in the document,
// unless the patch replaces it.
func TestPosOfMergedMapping(t *testing.T) {
	doc := source.Parse("app/helmrelease.yaml", []byte(`apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
spec:
  chartRefx:
    kind: OCIRepository
    name: app
  upgrade:
    timeout: 5m
  install:
    timeout: 5m
`)).Docs[0]
	patch := source.Parse("cluster/ks.yaml", []byte(`apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
spec:
  upgrade:
    cleanupOnFail: true
  install:
    $patch: replace
    crds: Skip
`)).Docs[0]
	obj := &Object{Ref: finding.ObjectRef{Kind: "HelmRelease", Name: "app"}, Doc: doc, Patches: []*Patch{{Doc: patch, TargetKind: "HelmRelease"}}}
	for _, tc := range []struct {
		path []string
		want finding.Pos
	}{
		{path: []string{"spec"}, want: finding.Pos{File: "app/helmrelease.yaml", Line: 5, Col: 1}},
		{path: []string{"spec", "upgrade"}, want: finding.Pos{File: "app/helmrelease.yaml", Line: 9, Col: 3}},
		{path: []string{"spec", "upgrade", "cleanupOnFail"}, want: finding.Pos{File: "cluster/ks.yaml", Line: 7, Col: 5}},
		{path: []string{"spec", "install"}, want: finding.Pos{File: "cluster/ks.yaml", Line: 8, Col: 3}},
		{path: []string{"spec", "chartRefx"}, want: finding.Pos{File: "app/helmrelease.yaml", Line: 6, Col: 3}},
	} {
		if got := obj.PosOf(tc.path); got != tc.want {
			t.Errorf("PosOf(%q) = %v, want %v", tc.path, got, tc.want)
		}
		file, _, ok := obj.Locate(tc.path)
		if !ok || file.Path != tc.want.File {
			t.Errorf("Locate(%q) in %v, want %s", tc.path, file, tc.want.File)
		}
	}
}
