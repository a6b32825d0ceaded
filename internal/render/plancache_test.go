package render

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	fluxfs "github.com/fluxcd/pkg/kustomize/filesys"

	"github.com/fluxlint/fluxlint/internal/diskcache/diskcachetest"
)

func configMap(name string) string {
	return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n  k: v\n"
}

// TestPlanCache renders a Kustomization again and again with one cache
// folder: an unchanged one takes the kustomization Flux's generator made
// from the cache, and a change to what the generator reads (the
// Kustomization's spec, a .sourceignore file's rules, the folder's
// kustomization file) makes it run again, so the objects are always those
// of the repository as it is. A damaged record is a miss.
func TestPlanCache(t *testing.T) {
	repo := writeRepo(t, "repo", map[string]string{
		"apps/kustomization.yaml": "resources:\n  - a.yaml\n  - b.yaml\n",
		"apps/a.yaml":             configMap("a"),
		"apps/b.yaml":             configMap("b"),
		"apps/.sourceignore":      "# nothing ignored\n",
	})
	dir := t.TempDir()
	store := diskcachetest.NewCounting(dir)
	write := func(rel, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(repo.Root, rel), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	render := func(namespace string) []string {
		t.Helper()
		res := renderWith(t, repo, "apps", map[string]any{"path": "apps", "targetNamespace": namespace},
			Request{Build: Build{Cache: &BuildCache{Store: store, Salt: "test"}}})
		if len(res.Findings) > 0 {
			t.Fatalf("findings: %+v", res.Findings)
		}
		var got []string
		for _, o := range res.Objects {
			got = append(got, o.Ref.Namespace+"/"+o.Ref.Name)
		}
		slices.Sort(got)
		return got
	}
	check := func(step string, got []string, hits int, want ...string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s: objects %q, want %q", step, got, want)
		}
		if n := store.Take("plan-v2"); n != hits {
			t.Errorf("%s: %d generated kustomizations from the cache, want %d", step, n, hits)
		}
	}
	check("cold", render("one"), 0, "one/a", "one/b")
	check("warm", render("one"), 1, "one/a", "one/b")
	check("another targetNamespace", render("two"), 0, "two/a", "two/b")
	write("apps/.sourceignore", "b.yaml\n")
	check("b.yaml ignored", render("two"), 0, "two/a")
	check("b.yaml ignored, warm", render("two"), 1, "two/a")
	write("apps/.sourceignore", "# nothing ignored\n")
	write("apps/kustomization.yaml", "resources:\n  - b.yaml\n")
	check("kustomization.yaml changed", render("two"), 0, "two/b")

	// Damaged records: each is a miss, and the generator runs again.
	err := filepath.WalkDir(filepath.Join(dir, "plan-v2"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		return os.WriteFile(p, []byte("not a record"), 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	check("damaged records", render("two"), 1, "two/b")
	check("kept again", render("two"), 1, "two/b")
}

// TestPlanCacheGenerated checks a folder without a kustomization file,
// whose kustomization.yaml Flux's generator writes from the manifests it
// finds: a change below a folder the generator lists whole (it has a
// kustomization file) keeps the generated file, while a manifest that no
// longer decodes makes the generator run again and fail, as it would
// without the cache.
func TestPlanCacheGenerated(t *testing.T) {
	repo := writeRepo(t, "repo", map[string]string{
		"apps/a.yaml":                    configMap("a"),
		"apps/sub/b.yaml":                configMap("b"),
		"apps/listed/kustomization.yaml": "resources:\n  - c.yaml\n",
		"apps/listed/c.yaml":             configMap("c"),
	})
	store := diskcachetest.NewCounting(t.TempDir())
	render := func() Result {
		t.Helper()
		return renderWith(t, repo, "apps", map[string]any{"path": "apps"}, Request{Build: Build{Cache: &BuildCache{Store: store, Salt: "test"}}})
	}
	for i, hits := range []int{0, 1, 1} {
		if i == 2 {
			if err := os.WriteFile(filepath.Join(repo.Root, "apps", "listed", "c.yaml"), []byte(configMap("c2")), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		res := render()
		if len(res.Findings) > 0 || len(res.Objects) != 3 {
			t.Fatalf("render %d: %d objects, findings %+v", i, len(res.Objects), res.Findings)
		}
		if n := store.Take("plan-v2"); n != hits {
			t.Errorf("render %d: %d generated kustomizations from the cache, want %d", i, n, hits)
		}
		if names := objectNames(res); i == 2 && !slices.Contains(names, "c2") {
			t.Errorf("after listed/c.yaml changed: objects %q, want c2", names)
		}
	}
	if err := os.WriteFile(filepath.Join(repo.Root, "apps", "sub", "b.yaml"), []byte("a: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	res := render()
	if n := store.Take("plan-v2"); n != 0 {
		t.Errorf("a changed manifest: %d generated kustomizations from the cache, want none", n)
	}
	if len(res.Findings) == 0 || !strings.Contains(res.Findings[0].Message, "generate kustomization") {
		t.Errorf("a manifest that does not decode: findings %+v, want the generator's failure", res.Findings)
	}
}

func objectNames(res Result) []string {
	var out []string
	for _, o := range res.Objects {
		out = append(out, o.Ref.Name)
	}
	return out
}

// TestKustomizationInputsFindTheGeneratorsFile checks that the file a
// plan is keyed by is the one Flux's generator finds: kustomization.yaml
// when it is a file, else the next recognised name that is one (a folder
// named kustomization.yaml is no kustomization file), else the file the
// generator writes, with the manifests it scans.
func TestKustomizationInputsFindTheGeneratorsFile(t *testing.T) {
	root := t.TempDir()
	write := func(rel, content string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("plain/kustomization.yaml", "resources: [a.yaml]\n")
	write("plain/kustomization.yml", "resources: [b.yaml]\n")
	write("folder/kustomization.yaml/x.yaml", configMap("x"))
	write("folder/kustomization.yml", "resources: [c.yaml]\n")
	write("none/cm.yaml", configMap("cm"))
	fsys, err := fluxfs.MakeFsOnDiskSecure(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ dir, kfile, first string }{
		{"plain", "plain/kustomization.yaml", "resources: [a.yaml]\n"},
		{"folder", "folder/kustomization.yml", "resources: [c.yaml]\n"},
		{"none", "none/kustomization.yaml", filepath.Join(root, "none", "cm.yaml")},
	} {
		kfile, content, ok := kustomizationInputs(fsys, filepath.Join(root, tt.dir))
		if !ok || kfile != filepath.Join(root, filepath.FromSlash(tt.kfile)) || len(content) == 0 || content[0] != tt.first {
			t.Errorf("%s: kustomizationInputs = %s, %q, %v; want %s starting with %q", tt.dir, kfile, content, ok, tt.kfile, tt.first)
		}
	}
}

// TestPlanCacheKeepsTheRemoteSearch checks that a Kustomization whose
// kustomization names remote resources renders the same from a kept plan
// (the fields the search for remote resources reads come with it) as
// without a cache: the same objects and the same findings, remote ones
// included, also when a remote-looking entry becomes a folder of the
// repository.
func TestPlanCacheKeepsTheRemoteSearch(t *testing.T) {
	repo := writeRepo(t, "repo", map[string]string{
		"apps/kustomization.yaml": "namespace: apps\nresources:\n  - a.yaml\n  - https://example.com/deploy.yaml\n  - base\n" +
			"configMapGenerator:\n  - name: remote\n    files:\n      - https://example.com/values.yaml\n",
		"apps/a.yaml":                  configMap("a"),
		"apps/base/kustomization.yaml": "resources:\n  - b.yaml\n  - https://example.com/remote.yaml\n",
		"apps/base/b.yaml":             configMap("b"),
	})
	store := diskcachetest.NewCounting(t.TempDir())
	render := func(cache *BuildCache) string {
		t.Helper()
		res := renderWith(t, repo, "apps", map[string]any{"path": "apps"}, Request{Build: Build{Cache: cache}})
		var got []string
		for _, o := range res.Objects {
			got = append(got, o.Ref.Namespace+"/"+o.Ref.Name)
		}
		for _, f := range res.Findings {
			got = append(got, f.RuleID+" "+f.Pos.String()+" "+f.Message)
		}
		slices.Sort(got)
		return strings.Join(got, "\n")
	}
	// The plan is kept by the first step's cold render; the second step's
	// key is the same (the folder made is empty), so both its renders take
	// it, and the search sees the folder.
	previous := ""
	for i, step := range []string{"remote", "a folder"} {
		if step == "a folder" {
			if err := os.MkdirAll(filepath.Join(repo.Root, "apps/https:/example.com/deploy.yaml"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		want := render(nil)
		if step == "remote" && !strings.Contains(want, RuleRemote) {
			t.Fatalf("%s: no %s finding without a cache:\n%s", step, RuleRemote, want)
		}
		cache := &BuildCache{Store: store, Salt: "test"}
		cold := render(cache)
		warm := render(cache)
		if n := store.Take("plan-v2"); n != i+1 {
			t.Errorf("%s: %d plans from the cache, want %d", step, n, i+1)
		}
		if cold != want || warm != want || want == previous {
			t.Errorf("%s: without a cache (want other results than the step before):\n%s\ncold:\n%s\nwarm:\n%s", step, want, cold, warm)
		}
		previous = want
	}
}
