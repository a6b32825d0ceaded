package render

import (
	"testing"
)

// TestMemo shows that a memo gives a render's very objects again until a
// file the render read is forgotten, and keeps no render with findings.
func TestMemo(t *testing.T) {
	repo := writeRepo(t, "memo", map[string]string{
		"apps/kustomization.yaml":   "resources:\n  - cm.yaml\n",
		"apps/cm.yaml":              "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: default\n",
		"other/cm.yaml":             "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  namespace: default\n",
		"broken/kustomization.yaml": "resources:\n  - missing.yaml\n",
	})
	memo := NewMemo()
	render := func(path string) Result {
		return renderWith(t, repo, "flux-system", map[string]any{"path": path}, Request{Memo: memo, Cluster: "prod"})
	}
	first := render("apps")
	if len(first.Objects) != 1 || len(first.Findings) > 0 {
		t.Fatalf("render: %d objects, findings %+v", len(first.Objects), first.Findings)
	}
	if again := render("apps"); again.Objects[0] != first.Objects[0] {
		t.Errorf("a second render made a new object; want the kept one")
	}
	if memo.Forget("other/cm.yaml") {
		t.Errorf("a file the render did not read made it forgotten")
	}
	if !memo.Forget("apps/cm.yaml") {
		t.Errorf("a file the render read did not make it forgotten")
	}
	if again := render("apps"); again.Objects[0] == first.Objects[0] {
		t.Errorf("after Forget the kept object came back; want a new render")
	}
	render("broken")
	if n := memo.Len(); n != 1 {
		t.Errorf("%d renders kept, want 1: a render with findings is not kept", n)
	}
	memo.Reset()
	if n := memo.Len(); n != 0 {
		t.Errorf("%d renders kept after Reset", n)
	}
}
