package flux

import (
	"testing"

	"github.com/fluxlint/fluxlint/internal/model"
)

// TestPruneNestedFolderReadingOnlyItself: an entry folder inside another
// entry's folder reads its own files, which lie in the outer folder too;
// that does not reach the outer cluster, which reaches it.
func TestPruneNestedFolderReadingOnlyItself(t *testing.T) {
	outer := &model.Cluster{Name: "outer", Path: "k/flux", Via: model.ViaFluxInstance,
		FilesRead: []string{"k/apps/a/ks.yaml", "k/flux/apps.yaml", "k/flux/cluster/ks.yaml"}}
	inner := &model.Cluster{Name: "inner", Path: "k/flux/cluster", Via: model.ViaOrphan,
		FilesRead: []string{"k/apps/a/ks.yaml", "k/flux/cluster/ks.yaml"}}
	kept, dropped := Prune([]*model.Cluster{inner, outer})
	if len(kept) != 1 || kept[0] != outer || len(dropped) != 1 {
		t.Errorf("kept %v, dropped %v; want only k/flux kept", kept, dropped)
	}
}

// TestPruneDropsAFailedFolderAroundAnother: a folder whose build failed
// read nothing of its own; an entry inside it that read its own files
// still reaches it, as before (a folder of Argo CD chart templates whose
// generated kustomization cannot decode them).
func TestPruneDropsAFailedFolderAroundAnother(t *testing.T) {
	outer := &model.Cluster{Name: "outer", Path: "cluster", Via: model.ViaOrphan}
	inner := &model.Cluster{Name: "inner", Path: "cluster/apps/a", Via: model.ViaOrphan,
		FilesRead: []string{"cluster/apps/a/kustomization.yaml"}}
	kept, dropped := Prune([]*model.Cluster{outer, inner})
	if len(kept) != 1 || kept[0] != inner || len(dropped) != 1 {
		t.Errorf("kept %v, dropped %v; want only cluster/apps/a kept", kept, dropped)
	}
}

// TestPruneKeepsTheRootThatBuildsAnAppsRoot: two orphans read each other
// (the app's components lie in the outer folder), but only the outer one
// read the inner one's root file (kubernetes/ks.yaml, applied by hand,
// builds ./kubernetes and every kubernetes/<ns>/<app>/ks.yaml in it): the
// outer folder is the root, the app a part of its tree.
func TestPruneKeepsTheRootThatBuildsAnAppsRoot(t *testing.T) {
	outer := &model.Cluster{Name: "kubernetes", Path: "kubernetes", Via: model.ViaOrphan,
		FilesRead: []string{"kubernetes/components/c.yaml", "kubernetes/default/app/app/hr.yaml", "kubernetes/default/app/ks.yaml",
			"kubernetes/ks.yaml", "kubernetes/kustomization.yaml"}}
	inner := &model.Cluster{Name: "app", Path: "kubernetes/default/app", Via: model.ViaOrphan,
		FilesRead: []string{"kubernetes/components/c.yaml", "kubernetes/default/app/app/hr.yaml", "kubernetes/default/app/ks.yaml"}}
	kept, dropped := Prune([]*model.Cluster{inner, outer})
	if len(kept) != 1 || kept[0] != outer || len(dropped) != 1 {
		t.Errorf("kept %v, dropped %v; want only kubernetes kept", kept, dropped)
	}
}

// TestPruneKeepsTheBootstrapThatSupersedesTheRoot: a repository bootstrapped
// at its root and again with --path clusters/prod. The root's build reads
// the second bootstrap's sync, which names the root's Kustomization again:
// the second bootstrap is the cluster, and the stale root is dropped,
// whatever order they come in. Two bootstraps that read neither other's
// sync are two clusters.
func TestPruneKeepsTheBootstrapThatSupersedesTheRoot(t *testing.T) {
	root := &model.Cluster{Name: ".", Path: ".", Via: model.ViaBootstrap,
		FilesRead: []string{"clusters/prod/apps.yaml", "clusters/prod/flux-system/gotk-sync.yaml", "clusters/prod/flux-system/kustomization.yaml",
			"flux-system/gotk-sync.yaml", "flux-system/kustomization.yaml"}}
	prod := &model.Cluster{Name: "prod", Path: "clusters/prod", Via: model.ViaBootstrap,
		FilesRead: []string{"clusters/prod/apps.yaml", "clusters/prod/flux-system/gotk-sync.yaml", "clusters/prod/flux-system/kustomization.yaml"}}
	for _, order := range [][]*model.Cluster{{root, prod}, {prod, root}} {
		kept, dropped := Prune(order)
		if len(kept) != 1 || kept[0] != prod || len(dropped) != 1 || dropped[0] != root {
			t.Errorf("kept %v, dropped %v; want clusters/prod kept and the root dropped", kept, dropped)
		}
	}
	if got := BootstrapSyncs([]*model.Cluster{root}); len(got) != 1 || got[0] != "flux-system/gotk-sync.yaml" {
		t.Errorf("BootstrapSyncs(root) = %v", got)
	}
	// An orphan root that reads a bootstrap's folder still makes it a part.
	orphan := &model.Cluster{Name: "o", Path: "o", Via: model.ViaOrphan, FilesRead: prod.FilesRead}
	if kept, _ := Prune([]*model.Cluster{orphan, prod}); len(kept) != 1 || kept[0] != orphan {
		t.Errorf("kept %v; want the orphan that builds clusters/prod", kept)
	}
}
