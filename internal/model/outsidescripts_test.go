package model

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/fluxlint/fluxlint/internal/source"
)

// TestScriptsReadFlagsBeforeTheName checks that the objects a script
// creates with kubectl are found whatever flags stand between the kind and
// the name, and that a flag's value is not taken for the name.
func TestScriptsReadFlagsBeforeTheName(t *testing.T) {
	script := `#!/bin/sh
kubectl create configmap --namespace=flux-system flux-runtime-env \
  --from-literal=CLUSTER_NAME="$CLUSTER_NAME"
kubectl create secret docker-registry --namespace=flux-system ghcr-auth --docker-server=ghcr.io
kubectl -n flux-system create secret generic -n flux-system sops-age --from-file=age.agekey
kubectl create secret generic --dry-run=client "cluster-secrets" -o yaml | kubectl apply -f -
kubectl create configmap -n flux-system \
  not-read-here
`
	got := scriptsOf(t, "bootstrap.sh", script).objects()
	for _, want := range []string{
		KindKey("ConfigMap", "", "flux-runtime-env"),
		KindKey("Secret", "", "ghcr-auth"),
		KindKey("Secret", "", "sops-age"),
		KindKey("Secret", "", "cluster-secrets"),
	} {
		if _, ok := got[want]; !ok {
			t.Errorf("%s is not found among the script's objects %v", want, got)
		}
	}
	for _, wrong := range []string{KindKey("ConfigMap", "", "flux-system"), KindKey("Secret", "", "flux-system")} {
		if _, ok := got[wrong]; ok {
			t.Errorf("a flag's value is taken for the name: %s", wrong)
		}
	}
}

// TestScriptsFindNamespaces checks the namespaces that scripts and
// documents create: kubectl create namespace (or ns), and the namespace of
// a Flux configuration that the Azure CLI makes ("default" without
// --namespace), but not a namespace only named by another command.
func TestScriptsFindNamespaces(t *testing.T) {
	doc := "# Setup\n" +
		"kubectl create namespace monitoring\n" +
		"kubectl create ns --dry-run=client apps -o yaml | kubectl apply -f -\n" +
		"az k8s-configuration flux create -g rg -c arc -n cluster-config --namespace cluster-config -t connectedClusters --scope cluster\n" +
		"az k8s-configuration flux create -g rg -c aks -n other --ns=team-a -t managedClusters\n" +
		"az k8s-configuration flux create -g rg -c aks -n plain -t managedClusters\n" +
		"kubectl get namespace not-created\n"
	got := scriptsOf(t, "README.md", doc).objects()
	for name, line := range map[string]int{"monitoring": 2, "apps": 3, "cluster-config": 4, "team-a": 5, "default": 6} {
		if pos, ok := got[KindKey("Namespace", "", name)]; !ok || pos.Line != line {
			t.Errorf("namespace %s: found %v at %+v, want line %d", name, ok, pos, line)
		}
	}
	for _, wrong := range []string{"not-created", "rg", "arc"} {
		if _, ok := got[KindKey("Namespace", "", wrong)]; ok {
			t.Errorf("namespace %s is taken as created", wrong)
		}
	}
}

// TestScriptsFindFluxConfigs checks the Flux configurations a script makes
// with the Azure CLI, over continued lines: their GitRepository, its URL
// and the paths of their Kustomizations; a bucket configuration makes no
// GitRepository.
func TestScriptsFindFluxConfigs(t *testing.T) {
	script := "#!/bin/bash\n" +
		"az k8s-configuration flux create --resource-group $2 \\\n" +
		"  --cluster-name $1 --cluster-type connectedClusters \\\n" +
		"  --name sample-stamp --scope cluster --namespace flux-system \\\n" +
		"  --kind git --url https://github.com/example/stamp \\\n" +
		"  --branch main --kustomization name=config path=./clusters/sample-stamp prune=true -o none\n" +
		"az k8s-configuration flux create -g rg -c aks -n blobs --kind azblob --url https://x.blob.core.windows.net\n"
	s := scriptsOf(t, "deploy.sh", script)
	got := s.FluxConfigs()
	if len(got) != 1 || got[0].Namespace != "flux-system" || got[0].Name != "sample-stamp" || got[0].URL != "https://github.com/example/stamp" ||
		len(got[0].Paths) != 1 || got[0].Paths[0] != "./clusters/sample-stamp" {
		t.Fatalf("FluxConfigs() = %+v", got)
	}
	if pos, ok := s.objects()[KindKey("GitRepository", "", "sample-stamp")]; !ok || pos.Line != 2 {
		t.Errorf("the configuration's GitRepository: found %v at %+v, want line 2", ok, pos)
	}
	if _, ok := s.objects()[KindKey("GitRepository", "", "blobs")]; ok {
		t.Error("a bucket configuration makes a GitRepository")
	}
}

// scriptsOf returns the Scripts of a repository that holds one file.
func scriptsOf(t *testing.T, name, content string) *Scripts {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	repo, err := source.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return NewScripts(repo)
}
