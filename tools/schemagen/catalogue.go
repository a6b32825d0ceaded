package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// catalogueDir is the folder, inside the output folder, of the catalogue
// bundles; catalogueIndexName is the name of its index there.
const (
	catalogueDir       = "catalogue"
	catalogueIndexName = "index.json.gz"
)

// A catalogueIndex is the small file the validator reads first: which
// project serves which API groups, and which versions of it are embedded.
type catalogueIndex struct {
	Projects []catalogueIndexEntry `json:"projects"`
}

// A catalogueIndexEntry describes one project of the index.
type catalogueIndexEntry struct {
	Name       string   `json:"name"`
	Repository string   `json:"repository"`
	License    string   `json:"license"`
	Bundle     string   `json:"bundle"`
	Groups     []string `json:"groups"`
	// Versions are the embedded versions, the default first.
	Versions []catalogueIndexVersion `json:"versions"`
}

// A catalogueIndexVersion is one embedded version of a project.
type catalogueIndexVersion struct {
	Version string `json:"version"`
	Source  string `json:"source"`
}

// A catalogueBundle holds every embedded version of one project; a CRD that
// several versions share is stored once.
type catalogueBundle struct {
	Project  string               `json:"project"`
	Versions []catalogueBundleRel `json:"versions"`
	CRDs     []map[string]any     `json:"crds"`
	crdAt    map[string]int       // content hash to index in CRDs
}

// A catalogueBundleRel is one version of a project: the indexes of its
// CRDs in the bundle.
type catalogueBundleRel struct {
	Version string `json:"version"`
	CRDs    []int  `json:"crds"`
}

// writeCatalogue writes the bundle of every project and the index.
func writeCatalogue(ctx context.Context, outDir string, stdout io.Writer) error {
	dir := filepath.Join(outDir, catalogueDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("catalogue: %w", err)
	}
	var index catalogueIndex
	owner := map[string]string{} // group to project
	for _, p := range catalogueProjects {
		b, entry, err := projectBundle(ctx, outDir, p)
		if err != nil {
			return fmt.Errorf("catalogue %s: %w", p.Name, err)
		}
		for _, g := range entry.Groups {
			if other, ok := owner[g]; ok {
				return fmt.Errorf("catalogue: group %s is in both %s and %s", g, other, p.Name)
			}
			owner[g] = p.Name
		}
		if err := writeJSONGzip(filepath.Join(dir, entry.Bundle), b); err != nil {
			return err
		}
		index.Projects = append(index.Projects, entry)
		_, _ = fmt.Fprintf(stdout, "wrote %s (%d versions, %d CRDs)\n", filepath.Join(dir, entry.Bundle), len(b.Versions), len(b.CRDs))
	}
	sort.Slice(index.Projects, func(i, j int) bool { return index.Projects[i].Name < index.Projects[j].Name })
	return writeJSONGzip(filepath.Join(dir, catalogueIndexName), index)
}

// projectBundle reads every version of p.
func projectBundle(ctx context.Context, outDir string, p catalogueProject) (*catalogueBundle, catalogueIndexEntry, error) {
	entry := catalogueIndexEntry{Name: p.Name, Repository: p.Repository, License: p.License, Bundle: p.Name + ".json.gz"}
	b := &catalogueBundle{Project: p.Name, crdAt: map[string]int{}}
	groups := map[string]bool{}
	for _, in := range p.Versions {
		docs, source, err := readCatalogueInput(ctx, outDir, p, in)
		if err != nil {
			return nil, entry, fmt.Errorf("%s: %w", in.Version, err)
		}
		rel := catalogueBundleRel{Version: in.Version}
		seen := map[string]bool{}
		for _, doc := range docs {
			c, err := catalogueCRD(doc)
			if err != nil {
				return nil, entry, fmt.Errorf("%s: %w", in.Version, err)
			}
			if c == nil {
				continue
			}
			spec, _ := c["spec"].(map[string]any)
			group, _ := spec["group"].(string)
			names, _ := spec["names"].(map[string]any)
			kind, _ := names["kind"].(string)
			if seen[group+"/"+kind] {
				return nil, entry, fmt.Errorf("%s: two CRDs of %s %s", in.Version, group, kind)
			}
			seen[group+"/"+kind] = true
			groups[group] = true
			at, err := b.add(c)
			if err != nil {
				return nil, entry, err
			}
			rel.CRDs = append(rel.CRDs, at)
		}
		if len(rel.CRDs) == 0 {
			return nil, entry, fmt.Errorf("%s: no CRD read", in.Version)
		}
		sort.Ints(rel.CRDs)
		b.Versions = append(b.Versions, rel)
		entry.Versions = append(entry.Versions, catalogueIndexVersion{Version: in.Version, Source: source})
	}
	for g := range groups {
		entry.Groups = append(entry.Groups, g)
	}
	sort.Strings(entry.Groups)
	return b, entry, nil
}

// add stores c once and returns its index.
func (b *catalogueBundle) add(c map[string]any) (int, error) {
	h, err := hashJSON(c)
	if err != nil {
		return 0, err
	}
	if at, ok := b.crdAt[h]; ok {
		return at, nil
	}
	b.crdAt[h] = len(b.CRDs)
	b.CRDs = append(b.CRDs, c)
	return len(b.CRDs) - 1, nil
}

// catalogueCRD decodes one YAML document and returns the CRD trimmed to
// what validation needs, or nil when the document is not a CRD.
func catalogueCRD(doc []byte) (map[string]any, error) {
	var raw map[string]any
	if err := yaml.Unmarshal(doc, &raw); err != nil {
		return nil, fmt.Errorf("decode YAML: %w", err)
	}
	if raw["kind"] != "CustomResourceDefinition" {
		return nil, nil
	}
	if raw["apiVersion"] != "apiextensions.k8s.io/v1" {
		return nil, fmt.Errorf("CRD of apiVersion %v: want apiextensions.k8s.io/v1", raw["apiVersion"])
	}
	out := trimCRD(raw)
	spec, _ := out["spec"].(map[string]any)
	if g, _ := spec["group"].(string); g == "" {
		return nil, errors.New("CRD has no spec.group")
	}
	versions, _ := spec["versions"].([]any)
	for i, v := range versions {
		vm, ok := v.(map[string]any)
		if !ok {
			continue
		}
		// Printer columns, subresources and selectable fields do not
		// change what an object may hold.
		kept := map[string]any{}
		for _, k := range []string{"name", "served", "storage", "deprecated", "deprecationWarning", "schema"} {
			if x, ok := vm[k]; ok {
				kept[k] = x
			}
		}
		versions[i] = kept
	}
	return out, nil
}

// readCatalogueInput returns the YAML documents of one version of a project
// and a line naming where they come from.
func readCatalogueInput(ctx context.Context, outDir string, p catalogueProject, in catalogueInput) ([][]byte, string, error) {
	if in.Module == "" {
		dir := filepath.Join(outDir, "crds", filepath.FromSlash(in.Vendored))
		docs, err := readVendored(dir, in.Paths, in.DropTemplateLines)
		repo := p.Repository
		if in.Repository != "" {
			repo = in.Repository
		}
		source := fmt.Sprintf("%s tag %s (commit %s), vendored in schemas/crds/%s (%s)",
			repo, in.Tag, in.Commit, in.Vendored, p.License)
		return docs, source, err
	}
	zipPath, err := downloadModuleZip(ctx, in.Module, in.ModuleVersion, in.Sum)
	if err != nil {
		return nil, "", err
	}
	docs, err := readModuleZip(zipPath, in.Module+"@"+in.ModuleVersion, in.Paths)
	source := fmt.Sprintf("%s@%s %s (%s, %s)", in.Module, in.ModuleVersion, strings.Join(in.Paths, " "), in.Sum, p.License)
	return docs, source, err
}

// readVendored reads the YAML documents of the files under dir that paths
// name (files, or folders read recursively), in path order.
func readVendored(dir string, paths []string, dropTemplateLines bool) ([][]byte, error) {
	var files []string
	for _, p := range paths {
		root := filepath.Join(dir, filepath.FromSlash(p))
		err := filepath.WalkDir(root, func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && isYAMLName(name) {
				files = append(files, name)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read vendored CRDs: %w", err)
		}
	}
	sort.Strings(files)
	var docs [][]byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read vendored CRDs: %w", err)
		}
		if dropTemplateLines {
			data = withoutTemplateLines(data)
		}
		d, err := splitYAML(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Base(f), err)
		}
		docs = append(docs, d...)
	}
	return docs, nil
}

// readModuleZip reads the YAML documents of the files of a module zip
// (whose entries start with prefix and "/") that paths name.
func readModuleZip(zipPath, prefix string, paths []string) ([][]byte, error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return nil, fmt.Errorf("open module zip: %w", err)
	}
	defer func() { _ = zr.Close() }() // read-only
	var files []*zip.File
	for _, f := range zr.File {
		rel, ok := strings.CutPrefix(f.Name, prefix+"/")
		if !ok || !isYAMLName(rel) {
			continue
		}
		for _, p := range paths {
			if rel == p || strings.HasPrefix(rel, p+"/") {
				files = append(files, f)
				break
			}
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	var docs [][]byte
	for _, f := range files {
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f.Name, err)
		}
		data, err := io.ReadAll(rc)
		_ = rc.Close() // read-only
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f.Name, err)
		}
		d, err := splitYAML(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path.Base(f.Name), err)
		}
		docs = append(docs, d...)
	}
	return docs, nil
}

// withoutTemplateLines returns data without the lines that hold "{{".
func withoutTemplateLines(data []byte) []byte {
	var out bytes.Buffer
	for line := range bytes.Lines(data) {
		if !bytes.Contains(line, []byte("{{")) {
			out.Write(line)
		}
	}
	return out.Bytes()
}

func isYAMLName(name string) bool {
	base := path.Base(filepath.ToSlash(name))
	if base == "kustomization.yaml" || base == "kustomizeconfig.yaml" {
		return false
	}
	return strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml")
}

// splitYAML returns the non-empty documents of a YAML stream.
func splitYAML(data []byte) ([][]byte, error) {
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var docs [][]byte
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("split YAML: %w", err)
		}
		if len(bytes.TrimSpace(doc)) > 0 {
			docs = append(docs, doc)
		}
	}
}

// downloadModuleZip fetches module@version into the module cache and
// returns the path of its zip, which must have the hash sum. A module that
// needs a newer Go than the running one is downloaded all the same (the go
// command reports it but keeps the zip): only its files are read.
func downloadModuleZip(ctx context.Context, module, version, sum string) (string, error) {
	tmp, err := os.MkdirTemp("", "fluxlint-gen-")
	if err != nil {
		return "", fmt.Errorf("download %s@%s: %w", module, version, err)
	}
	defer func() { _ = os.RemoveAll(tmp) }() // best effort: an empty temporary directory
	// module and version come from the fixed catalogueProjects table.
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", module+"@"+version)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GO111MODULE=on")
	out, runErr := cmd.Output()
	var info struct {
		Zip, Sum, Error string
	}
	if err := json.Unmarshal(out, &info); err != nil {
		return "", fmt.Errorf("download %s@%s: %w", module, version, errors.Join(err, runErr))
	}
	if info.Zip == "" {
		return "", fmt.Errorf("download %s@%s: %s", module, version, info.Error)
	}
	if _, err := os.Stat(info.Zip); err != nil {
		return "", fmt.Errorf("download %s@%s: %s: %w", module, version, info.Error, err)
	}
	if info.Sum != sum {
		return "", fmt.Errorf("download %s@%s: hash %s, want %s", module, version, info.Sum, sum)
	}
	return info.Zip, nil
}

// writeJSONGzip writes v as deterministic gzip-compressed JSON.
func writeJSONGzip(name string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", name, err)
	}
	return writeGzip(name, data)
}
