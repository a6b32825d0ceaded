package render

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// oddName holds characters that kustomize's in-memory file system refuses
// in a folder name.
const oddName = "my repos+fleet@2"

// overlayRepo is a repository whose apps folder builds a base from another
// folder, generates a ConfigMap from a file and patches the base.
var overlayRepo = map[string]string{
	"base/kustomization.yaml": "resources:\n  - deploy.yaml\n",
	"base/deploy.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: web
          image: nginx
`,
	"apps/kustomization.yaml": `resources:
  - ../base
configMapGenerator:
  - name: settings
    files:
      - settings.properties
    options:
      disableNameSuffixHash: true
patches:
  - path: patch.yaml
`,
	"apps/settings.properties": "mode=fast\n",
	"apps/patch.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
`,
	"broken/kustomization.yaml":      "resources:\n  - ../base\n  - ../base-broken\n",
	"base-broken/kustomization.yaml": "resources:\n  - missing.yaml\n",
}

// writeRepo writes files under a new folder named name and opens it.
func writeRepo(t *testing.T, name string, files map[string]string) *source.Repo {
	t.Helper()
	root := filepath.Join(t.TempDir(), name)
	for rel, text := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	repo, err := source.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

// renderPath renders the folder path of repo as a cluster's entry folder.
func renderPath(t *testing.T, repo *source.Repo, path string) Result {
	t.Helper()
	return renderWith(t, repo, "flux-system", map[string]any{"path": path}, Request{})
}

// renderWith renders the folder spec.path of repo as the Flux
// Kustomization flux-system/<name> of that spec would, with the build
// cache, memo and cluster that req gives.
func renderWith(t *testing.T, repo *source.Repo, name string, spec map[string]any, req Request) Result {
	t.Helper()
	a, err := NewArtifact(repo.Root, "")
	if err != nil {
		t.Fatal(err)
	}
	path, _ := spec["path"].(string)
	req.Artifact, req.Path, req.At = a, path, finding.Pos{File: path}
	req.Kustomization = Unstructured(map[string]any{
		"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
		"metadata": map[string]any{"name": name, "namespace": "flux-system"},
		"spec":     spec,
	})
	return Render(context.Background(), repo, req, nil)
}

// TestBuildUnderOddRoot checks that a build does not depend on the
// characters of the repository's real path: the objects, their sources and
// patches, and the files read are those of a repository at a plain path.
func TestBuildUnderOddRoot(t *testing.T) {
	odd := renderPath(t, writeRepo(t, oddName, overlayRepo), "apps")
	plain := renderPath(t, writeRepo(t, "plain", overlayRepo), "apps")
	wantBuilt(t, odd, "apps/kustomization.yaml", "apps/patch.yaml", "apps/settings.properties", "base/deploy.yaml", "base/kustomization.yaml")
	if len(odd.Objects) != 2 {
		t.Fatalf("objects = %d, want a ConfigMap and a Deployment", len(odd.Objects))
	}
	for _, o := range odd.Objects {
		switch o.Ref.Kind {
		case "Deployment":
			if o.Origin.File != "base/deploy.yaml" || o.Origin.Line != 1 {
				t.Errorf("Deployment origin = %v, want base/deploy.yaml:1", o.Origin)
			}
			spec, _ := o.Content["spec"].(map[string]any)
			if fmt.Sprint(spec["replicas"]) != "3" {
				t.Errorf("replicas = %v, want the patch's 3", spec["replicas"])
			}
			if len(o.Patches) != 1 || o.Patches[0].Doc == nil || o.Patches[0].Doc.File.Path != "apps/patch.yaml" {
				t.Errorf("patches = %+v, want apps/patch.yaml", o.Patches)
			}
		case "ConfigMap":
			if o.Origin.File != "apps/kustomization.yaml" || o.Origin.Line != 4 {
				t.Errorf("ConfigMap origin = %v, want apps/kustomization.yaml:4 (the generator's name)", o.Origin)
			}
			data, _ := o.Content["data"].(map[string]any)
			if data["settings.properties"] != "mode=fast\n" {
				t.Errorf("ConfigMap data = %v", data)
			}
		default:
			t.Errorf("unexpected object %v", o.Ref)
		}
		if ann := annotationsOf(o); len(ann) > 0 {
			t.Errorf("%v keeps build annotations %v", o.Ref, ann)
		}
	}
	if len(plain.Objects) != len(odd.Objects) {
		t.Fatalf("plain root built %d objects, odd root %d", len(plain.Objects), len(odd.Objects))
	}
	for i := range odd.Objects {
		if !reflect.DeepEqual(odd.Objects[i].Content, plain.Objects[i].Content) || odd.Objects[i].Origin != plain.Objects[i].Origin {
			t.Errorf("object %d differs:\nodd   %v %v\nplain %v %v", i, odd.Objects[i].Origin, odd.Objects[i].Content, plain.Objects[i].Origin, plain.Objects[i].Content)
		}
	}
}

// wantBuilt checks that a render built without findings and read the
// files want, in order.
func wantBuilt(t *testing.T, res Result, want ...string) {
	t.Helper()
	if len(res.Findings) > 0 {
		t.Fatalf("findings: %+v", res.Findings)
	}
	if read := slices.Sorted(slices.Values(res.FilesRead)); !reflect.DeepEqual(read, want) {
		t.Errorf("files read = %q, want %q", read, want)
	}
}

func annotationsOf(o *model.Object) map[string]any {
	meta, _ := o.Content["metadata"].(map[string]any)
	ann, _ := meta["annotations"].(map[string]any)
	return ann
}

// TestBuildErrorUnderOddRoot checks that a failed build under such a root
// names the repository's files, not the root kustomize saw, and stands at
// the entry that names the missing file.
func TestBuildErrorUnderOddRoot(t *testing.T) {
	repo := writeRepo(t, oddName, overlayRepo)
	res := renderPath(t, repo, "broken")
	if len(res.Findings) != 1 {
		t.Fatalf("findings = %+v, want one build failure", res.Findings)
	}
	f := res.Findings[0]
	if f.RuleID != RuleBuild || f.Pos.File != "base-broken/kustomization.yaml" || f.Pos.Line != 2 {
		t.Errorf("finding = %s at %v, want %s at base-broken/kustomization.yaml:2, the entry of the missing file", f.RuleID, f.Pos, RuleBuild)
	}
	if !strings.Contains(f.Message, "base-broken/missing.yaml") || strings.Contains(f.Message, virtualRoot) || strings.Contains(f.Message, oddName) {
		t.Errorf("message = %q, want base-broken/missing.yaml named from the repository root", f.Message)
	}
	if !slices.Contains(res.FilesRead, "base/deploy.yaml") {
		t.Errorf("files read = %q, want the base read before the failure", res.FilesRead)
	}
}

// TestRootedFSPaths checks the translation between the build's paths and
// real ones, symbolic links and glob characters in the root included.
func TestRootedFSPaths(t *testing.T) {
	dir := t.TempDir()
	realDir := filepath.Join(dir, "a [b]*?")
	if err := os.MkdirAll(filepath.Join(realDir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"sub/x.yaml", "sub/y.yaml"} {
		if err := os.WriteFile(filepath.Join(realDir, f), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(realDir, link); err != nil {
		t.Skipf("no symbolic links: %v", err)
	}
	r := newRootedFS(filesys.MakeFsOnDisk(), link)
	for _, tc := range []struct {
		name, virtual, real string
	}{
		{name: "root", virtual: virtualRoot, real: link},
		{name: "below", virtual: virtualRoot + "/sub/x.yaml", real: link + "/sub/x.yaml"},
		{name: "outside", virtual: "/etc/passwd", real: "/etc/passwd"},
		{name: "prefix only", virtual: virtualRoot + "-x/y", real: virtualRoot + "-x/y"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.real(tc.virtual); got != tc.real {
				t.Errorf("real(%q) = %q, want %q", tc.virtual, got, tc.real)
			}
			if got := r.virtual(tc.real); got != tc.virtual {
				t.Errorf("virtual(%q) = %q, want %q", tc.real, got, tc.virtual)
			}
		})
	}
	t.Run("resolved root", func(t *testing.T) {
		resolved, err := filepath.EvalSymlinks(realDir)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.virtual(filepath.Join(resolved, "sub")); got != virtualRoot+"/sub" {
			t.Errorf("virtual of the resolved path = %q", got)
		}
		d, f, err := r.CleanedAbs(virtualRoot + "/sub/x.yaml")
		if err != nil || string(d) != virtualRoot+"/sub" || f != "x.yaml" {
			t.Errorf("CleanedAbs = %q, %q, %v; want %s/sub, x.yaml", d, f, err, virtualRoot)
		}
	})
	t.Run("glob", func(t *testing.T) {
		got, err := r.Glob(virtualRoot + "/sub/*.yaml")
		want := []string{virtualRoot + "/sub/x.yaml", virtualRoot + "/sub/y.yaml"}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Glob = %q, %v; want %q", got, err, want)
		}
	})
	t.Run("walk", func(t *testing.T) {
		// filepath.Walk does not follow a root that is a symbolic link;
		// an artifact's root is resolved.
		var got []string
		err := newRootedFS(filesys.MakeFsOnDisk(), realDir).Walk(virtualRoot, func(p string, _ os.FileInfo, err error) error {
			got = append(got, p)
			return err
		})
		want := []string{virtualRoot, virtualRoot + "/sub", virtualRoot + "/sub/x.yaml", virtualRoot + "/sub/y.yaml"}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Walk = %q, %v; want %q", got, err, want)
		}
	})
}

// renamed returns the files of a repository with the folder names of
// renames changed, in the paths and in the texts that name them.
func renamed(files map[string]string, renames map[string]string) map[string]string {
	out := map[string]string{}
	for rel, text := range files {
		for from, to := range renames {
			text = strings.ReplaceAll(text, "../"+from+"\n", "../"+to+"\n")
		}
		out[renamedPath(rel, renames)] = text
	}
	return out
}

// renamedPath returns rel with its first folder renamed by renames.
func renamedPath(rel string, renames map[string]string) string {
	first, rest, ok := strings.Cut(rel, "/")
	if to, found := renames[first]; ok && found {
		return to + "/" + rest
	}
	return rel
}

// TestBuildOddFolderNames checks that folders of the repository whose
// names kustomize's in-memory file system refuses build as Flux builds
// them on disk: the same objects, with their origins, patches and files
// read under the real names, and a failure naming the real files.
func TestBuildOddFolderNames(t *testing.T) {
	names := map[string]string{"apps": "my apps", "base": "base+é@2", "broken": "broken (1)", "base-broken": "base broken"}
	repo := writeRepo(t, "plain", renamed(overlayRepo, names))
	odd := renderPath(t, repo, "my apps")
	plain := renderPath(t, writeRepo(t, "plain", overlayRepo), "apps")
	wantBuilt(t, odd, "base+é@2/deploy.yaml", "base+é@2/kustomization.yaml", "my apps/kustomization.yaml", "my apps/patch.yaml", "my apps/settings.properties")
	if len(odd.Objects) != len(plain.Objects) {
		t.Fatalf("odd names built %d objects, plain ones %d", len(odd.Objects), len(plain.Objects))
	}
	for i, o := range odd.Objects {
		p := plain.Objects[i]
		wantOrigin := p.Origin
		wantOrigin.File = renamedPath(p.Origin.File, names)
		if !reflect.DeepEqual(o.Content, p.Content) || o.Origin != wantOrigin {
			t.Errorf("%v: origin %v, want %v; content equal: %v", o.Ref, o.Origin, wantOrigin, reflect.DeepEqual(o.Content, p.Content))
		}
		if len(o.Patches) != len(p.Patches) {
			t.Errorf("%v: %d patches, want %d", o.Ref, len(o.Patches), len(p.Patches))
		}
	}
	res := renderPath(t, repo, "broken (1)")
	if len(res.Findings) != 1 {
		t.Fatalf("findings = %+v, want one build failure", res.Findings)
	}
	if msg := res.Findings[0].Message; !strings.Contains(msg, "base broken/missing.yaml") || strings.Contains(msg, encodedPrefix) {
		t.Errorf("message = %q, want base broken/missing.yaml named as it is", msg)
	}
}

// kustomizeTakes matches the names kustomize's in-memory file system
// creates.
var kustomizeTakes = regexp.MustCompile(`^[a-zA-Z0-9-_.:]+$`)

// TestEncodedNames checks that the names a build sees are names kustomize
// takes, and that decoding gives back the real ones.
func TestEncodedNames(t *testing.T) {
	for _, name := range []string{"plain-name_1.yaml", "joke autoupdate", "café", "a..b", encodedPrefix + "61", "x:y", "[b]*?"} {
		enc := encodePath(name)
		if !kustomizeTakes.MatchString(enc) || strings.Contains(enc, "..") {
			t.Errorf("encodePath(%q) = %q, which kustomize refuses", name, enc)
		}
		if got := decodePath(enc); got != name {
			t.Errorf("decodePath(encodePath(%q)) = %q", name, got)
		}
	}
	rel := filepath.Join("..", "joke autoupdate", ".", "x.yaml")
	if got := decodePath(encodePath(rel)); got != rel {
		t.Errorf("relative path %q came back as %q", rel, got)
	}
}
