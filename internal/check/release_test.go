package check

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// writeRepo writes files (path to content) into a new folder.
func writeRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestReleaseSameOutput: a run that releases each cluster's objects once
// checked, and so checks discovery's candidates as they render, reports
// what a run that keeps them reports, also when discovery drops a
// candidate that was checked already (clusters/base is a part of
// clusters/prod): that run is done again with the clusters kept.
func TestReleaseSameOutput(t *testing.T) {
	dir := writeRepo(t, map[string]string{
		"clusters/base/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [configmap.yaml]\n",
		"clusters/base/configmap.yaml":     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: base\ndata:\n  n: 5\n",
		"clusters/prod/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../base, secret.yaml]\n",
		"clusters/prod/secret.yaml":        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  token: hunter2-secret\n  bad: 5\n",
		"clusters/edge/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [configmap.yaml]\n",
		"clusters/edge/configmap.yaml":     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: edge\ndata:\n  x: [1]\n",
	})
	cfg := Config{Path: dir, Offline: true, SkipHelm: true}
	keep, err := Run(context.Background(), cfg, Deps{})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Release = true
	rel, err := Run(context.Background(), cfg, Deps{})
	if err != nil {
		t.Fatal(err)
	}
	names := func(res *Result) (out []string) {
		for _, c := range res.Clusters {
			out = append(out, c.Name+" "+c.Path)
		}
		return out
	}
	if got, want := names(rel), names(keep); !reflect.DeepEqual(got, want) || len(want) != 2 {
		t.Fatalf("clusters %v, want %v (two: base is a part of prod)", got, want)
	}
	if !reflect.DeepEqual(rel.Findings, keep.Findings) || len(keep.Findings) == 0 {
		t.Errorf("findings with release:\n%v\nwithout:\n%v", rel.Findings, keep.Findings)
	}
	for i, c := range rel.Clusters {
		k := keep.Clusters[i]
		if c.Objects != nil || c.Released == nil || c.NumObjects() != k.NumObjects() || c.NumObjects() == 0 {
			t.Errorf("cluster %s: %d objects kept, counts %v; want none kept and %d counted", c.Name, len(c.Objects), c.Released, k.NumObjects())
		}
	}
}
