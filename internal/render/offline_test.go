package render

import "testing"

// TestCRDURL pins which remote resources are taken to hold only
// CustomResourceDefinitions: those whose URL says crd or crds as a word.
func TestCRDURL(t *testing.T) {
	for url, want := range map[string]bool{
		"https://github.com/cert-manager/cert-manager/releases/download/v1.8.2/cert-manager.crds.yaml":                         true,
		"https://raw.githubusercontent.com/movetokube/postgres-operator/1.1.1/deploy/crds/db.movetokube.com_postgres_crd.yaml": true,
		"github.com/kubernetes-csi/external-snapshotter//client/config/crd?ref=v6.0.1":                                         true,
		"https://github.com/metallb/metallb/config/native?ref=v0.14.8":                                                         false,
		"https://example.com/crdb/install.yaml":                                                                                false,
	} {
		if got := crdURL.MatchString(url); got != want {
			t.Errorf("crdURL.MatchString(%q) = %v, want %v", url, got, want)
		}
	}
}
