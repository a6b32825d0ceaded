package flux

import (
	"context"
	"testing"
)

// TestOwnOutputNeedsNoSecondWalk: a Kustomization that substitutes from a
// ConfigMap it applies itself (a home-lab cluster's cluster-settings) takes
// the values in one walk, so nothing is left unmet for a second walk of
// the whole cluster.
func TestOwnOutputNeedsNoSecondWalk(t *testing.T) {
	repo := repoWith(t, map[string]string{
		"flux/config/kustomization.yaml": "resources:\n  - cluster.yaml\n",
		"flux/config/cluster.yaml": `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: cluster
  namespace: flux-system
spec:
  interval: 30m
  path: ./flux
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substituteFrom:
      - kind: ConfigMap
        name: cluster-settings
`,
		"flux/kustomization.yaml": "resources:\n  - settings.yaml\n  - app.yaml\n",
		"flux/settings.yaml":      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  ZONE: eu\n",
		"flux/app.yaml":           "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: flux-system\ndata:\n  zone: ${ZONE}\n",
	})
	c := newCluster(repo, NewSources(repo, nil), Entry{Name: "main", Path: "flux/config"})
	if !c.walk(context.Background(), Entry{Name: "main", Path: "flux/config"}) {
		t.Fatal("walk failed")
	}
	if len(c.unmet) != 0 {
		t.Errorf("unmet after one walk: %+v, want none (the render's own output holds cluster-settings)", c.unmet)
	}
	app := c.lookup("", "ConfigMap", "flux-system", "app")
	if app == nil {
		t.Fatal("ConfigMap app not rendered")
	}
	if got := str(app.Content, "data", "zone"); got != "eu" {
		t.Errorf("data.zone = %q, want the value of cluster-settings, eu", got)
	}
}
