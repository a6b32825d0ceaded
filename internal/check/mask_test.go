package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// TestMaskFindingsCoversObjectNames checks that a secret value substituted
// into an object's name or namespace, or a chain, is masked, as in
// messages.
func TestMaskFindingsCoversObjectNames(t *testing.T) {
	const secret = "s3cr3t-domain"
	sec := &model.Object{Ref: finding.ObjectRef{APIVersion: "v1", Kind: "Secret", Namespace: "flux-system", Name: "vars"},
		Content: map[string]any{"stringData": map[string]any{"DOMAIN": secret}}}
	res := &Result{
		Clusters: []*model.Cluster{{Name: "dev", Objects: []*model.Object{sec}}},
		Findings: []finding.Finding{{
			RuleID: "flux-duplicate-object", Message: "Certificate/" + secret + "-tls is also rendered",
			Object: finding.ObjectRef{Kind: "Certificate", Namespace: secret, Name: secret + "-tls"},
			Chain:  []string{"Kustomization/flux-system/" + secret},
		}},
	}
	res.Findings = masker{}.Process(res, res.Findings)
	f := res.Findings[0]
	for _, s := range []string{f.Message, f.Object.Name, f.Object.Namespace, strings.Join(f.Chain, " ")} {
		if strings.Contains(s, secret) {
			t.Errorf("secret value printed: %q", s)
		}
	}
}

// TestMaskShortValuesAsWords checks that a short secret value is masked
// where it is a word and left alone inside other words, and that a long
// one is masked anywhere, a password inside a URL or a token included.
func TestMaskShortValuesAsWords(t *testing.T) {
	tests := []struct{ in, want string }{
		{"substituteFrom names Secret flux-system/oidc", "substituteFrom names Secret flux-system/oidc"},
		{"client name: name", "client " + Masked + ": " + Masked},
		{"https://admin:hunter2pass@db:5432", "https://admin:" + Masked + "@db:5432"},
		{"xhunter2passx and hunter2pass", "x" + Masked + "x and " + Masked},
	}
	for _, tt := range tests {
		if got := Mask(tt.in, []string{"hunter2pass", "name"}); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSecretValuesLeaveSwitches checks that a Secret's switch values
// (true, false) are not taken for secrets, and its other values are.
func TestSecretValuesLeaveSwitches(t *testing.T) {
	sec := &model.Object{Ref: finding.ObjectRef{APIVersion: "v1", Kind: "Secret", Namespace: "a", Name: "s"},
		Content: map[string]any{"stringData": map[string]any{"ENABLED": "true", "OFF": "False", "TOKEN": "t0ken-value"}}}
	got := SecretValues(&model.Cluster{Objects: []*model.Object{sec}})
	if strings.Join(got, ",") != "t0ken-value" {
		t.Errorf("SecretValues = %v, want [t0ken-value]", got)
	}
}

// TestMaskLeavesRepositoryPaths checks that a Secret value that is a part
// of a path of the repository's files is left there (the path is in Git),
// and masked elsewhere in the same text: in a name, or as a word.
func TestMaskLeavesRepositoryPaths(t *testing.T) {
	isPath := func(p string) bool {
		switch strings.TrimPrefix(p, "./") {
		case "k/config/00_common.yaml", "k/config":
			return true
		}
		return false
	}
	tests := []struct{ in, want string }{
		{"./k/config/00_common.yaml:3:1 reads config", "./k/config/00_common.yaml:3:1 reads " + Masked},
		{"resources: [k/config] and services-config", "resources: [k/config] and services-" + Masked},
		{"path k/other/config.yaml", "path k/other/" + Masked + ".yaml"},
		// A file looked for and missing: its folders that exist are kept.
		{"open k/config/env/01.yaml: no such file", "open k/config/env/01.yaml: no such file"},
	}
	for _, tt := range tests {
		if got := MaskText(tt.in, []string{"config"}, isPath); got != tt.want {
			t.Errorf("MaskText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestMaskLeavesPathsFromTheFindingsFolder checks the paths a failed build
// names relative to its kustomization's folder (./config/00_common.yaml in
// auth/app), and the existing folders of a missing file.
func TestMaskLeavesPathsFromTheFindingsFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "auth", "app", "config"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "auth", "app", "config", "00_common.yaml"), []byte("a: b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	repo, err := source.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	in := "file sources: [./config/00_common.yaml ./config/env/01.yaml]: open auth/app/config/env/01.yaml: no such file; '../app/config/'; user config; ../../../config"
	want := "file sources: [./config/00_common.yaml ./config/env/01.yaml]: open auth/app/config/env/01.yaml: no such file; '../app/config/'; user " + Masked + "; ../../../" + Masked
	if got := MaskText(in, []string{"config"}, repoPath(repo, findingFolders(repo, "auth/app")...)); got != want {
		t.Errorf("MaskText = %q, want %q", got, want)
	}
}
