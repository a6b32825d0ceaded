package source

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for rel, content := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func openRepo(t *testing.T, files map[string]string) *Repo {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, files)
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"real/file.yaml": "a: 1\n"})
	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(dir, "real"), link); err != nil {
		t.Skip("symlinks not supported:", err)
	}
	realRoot, err := filepath.EvalSymlinks(filepath.Join(dir, "real"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		dir      string
		wantErr  string
		wantRoot string
	}{
		{name: "missing folder", dir: filepath.Join(dir, "nope"), wantErr: "open repository"},
		{name: "a file", dir: filepath.Join(dir, "real", "file.yaml"), wantErr: "not a directory"},
		{name: "folder", dir: filepath.Join(dir, "real"), wantRoot: realRoot},
		{name: "symlink is resolved", dir: link, wantRoot: realRoot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Open(tt.dir)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Open error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Root != tt.wantRoot {
				t.Errorf("Root = %q, want %q", r.Root, tt.wantRoot)
			}
			if r.MaxFileSize != DefaultMaxFileSize {
				t.Errorf("MaxFileSize = %d, want %d", r.MaxFileSize, DefaultMaxFileSize)
			}
		})
	}
}

func TestRepoRelAbs(t *testing.T) {
	r := openRepo(t, nil)
	tests := []struct {
		name   string
		abs    string
		want   string
		wantOK bool
	}{
		{name: "root", abs: r.Root, want: ".", wantOK: true},
		{name: "nested", abs: filepath.Join(r.Root, "a", "b.yaml"), want: "a/b.yaml", wantOK: true},
		{name: "dot-dot prefixed name inside", abs: filepath.Join(r.Root, "..hidden"), want: "..hidden", wantOK: true},
		{name: "parent", abs: filepath.Dir(r.Root)},
		{name: "sibling", abs: filepath.Join(filepath.Dir(r.Root), "other", "x.yaml")},
		{name: "sibling sharing the name prefix", abs: r.Root + "x/y.yaml"},
		{name: "escape via dot-dot", abs: r.Root + "/a/../../b"},
		{name: "relative path", abs: "a/b.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := r.Rel(tt.abs)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Rel(%q) = %q, %v; want %q, %v", tt.abs, got, ok, tt.want, tt.wantOK)
			}
			if ok && got != "." {
				if back := r.Abs(got); back != filepath.Clean(tt.abs) {
					t.Errorf("Abs(%q) = %q, want %q", got, back, tt.abs)
				}
			}
		})
	}
}

func TestRepoFileParsesOnce(t *testing.T) {
	r := openRepo(t, map[string]string{"a.yaml": "kind: A\n"})
	first, err := r.File("a.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if first.Path != "a.yaml" || len(first.Docs) != 1 || first.Docs[0].Str("kind") != "A" {
		t.Fatalf("File = %+v", first)
	}
	// A second read returns the cached parse even after the file changes.
	writeFiles(t, r.Root, map[string]string{"a.yaml": "kind: B\n"})
	second, err := r.File("a.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if second != first {
		t.Errorf("second File call returned %p, want the first parse %p", second, first)
	}
}

func TestRepoFileConcurrent(t *testing.T) {
	files := map[string]string{}
	names := []string{"a.yaml", "b/c.yaml", "d.yml", "missing.yaml"}
	for _, n := range names[:3] {
		files[n] = "kind: " + n + "\n"
	}
	r := openRepo(t, files)
	const workers = 16
	got := make([][]*File, workers)
	errs := make([][]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for _, n := range names {
				f, err := r.File(n)
				got[w] = append(got[w], f)
				errs[w] = append(errs[w], err)
			}
		})
	}
	wg.Wait()
	for w := range workers {
		for i, n := range names {
			if got[w][i] != got[0][i] {
				t.Errorf("worker %d: %s parsed again (%p, want %p)", w, n, got[w][i], got[0][i])
			}
			if n == "missing.yaml" {
				if errs[w][i] == nil || got[w][i] != nil {
					t.Errorf("worker %d: File(%s) = %v, %v; want an error", w, n, got[w][i], errs[w][i])
				}
				continue
			}
			if errs[w][i] != nil || got[w][i].Docs[0].Str("kind") != n {
				t.Errorf("worker %d: File(%s) = %v, %v", w, n, got[w][i], errs[w][i])
			}
		}
	}
}

func TestRepoFileErrors(t *testing.T) {
	r := openRepo(t, map[string]string{"big.yaml": "a: 0123456789\n", "bad.yaml": "a: [\n"})
	r.MaxFileSize = 8
	tests := []struct {
		name    string
		rel     string
		wantErr string
	}{
		{name: "missing", rel: "nope.yaml", wantErr: "read nope.yaml"},
		{name: "too large", rel: "big.yaml", wantErr: "larger than the limit of 8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := r.File(tt.rel)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("File(%s) = %v, %v; want an error containing %q", tt.rel, f, err, tt.wantErr)
			}
		})
	}
	t.Run("syntax errors are findings, not errors", func(t *testing.T) {
		r.MaxFileSize = DefaultMaxFileSize
		f, err := r.File("bad.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if got := rules(f.Findings); !slices.Equal(got, []string{RuleSyntax}) {
			t.Errorf("findings = %v", f.Findings)
		}
	})
}

func TestRepoWalkYAML(t *testing.T) {
	r := openRepo(t, map[string]string{
		"a.yaml":             "",
		"b.yml":              "",
		"c.YAML":             "",
		"d.json":             "{}",
		"README.md":          "",
		".git/config.yaml":   "",
		".github/ci.yaml":    "",
		"skipdir/x.yaml":     "",
		"sub/skipfile.yaml":  "",
		"sub/z.yaml":         "",
		"sub/deeper/y.yml":   "",
		"sub/yaml/readme.md": "",
	})
	var skipped []string
	skip := func(rel string, dir bool) bool {
		if dir {
			skipped = append(skipped, rel+"/")
		}
		return (dir && rel == "skipdir") || (!dir && rel == "sub/skipfile.yaml")
	}
	var got []string
	if err := r.WalkYAML(skip, func(rel string) { got = append(got, rel) }); err != nil {
		t.Fatal(err)
	}
	want := []string{".github/ci.yaml", "a.yaml", "b.yml", "c.YAML", "sub/deeper/y.yml", "sub/z.yaml"}
	if !slices.Equal(got, want) {
		t.Errorf("WalkYAML visited %q, want %q", got, want)
	}
	if slices.Contains(skipped, ".git/") {
		t.Errorf("skip was asked about .git, which is always skipped: %q", skipped)
	}
	if !slices.Contains(skipped, "sub/deeper/") {
		t.Errorf("skip was not asked about sub/deeper: %q", skipped)
	}

	t.Run("nil skip", func(t *testing.T) {
		var all []string
		if err := r.WalkYAML(nil, func(rel string) { all = append(all, rel) }); err != nil {
			t.Fatal(err)
		}
		if len(all) != 8 || slices.Contains(all, ".git/config.yaml") {
			t.Errorf("WalkYAML(nil) visited %q, want 8 files without .git", all)
		}
	})
}

func TestIsYAMLName(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{name: "a.yaml", want: true},
		{name: "dir/a.yml", want: true},
		{name: "A.YML", want: true},
		{name: "a.yaml.bak"},
		{name: "yaml"},
		{name: "a.json"},
		{name: ".yaml", want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsYAMLName(tt.name); got != tt.want {
				t.Errorf("IsYAMLName(%q) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}
