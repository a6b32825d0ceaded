package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// A source is a HelmRepository or OCIRepository found in a repository.
type source struct {
	// Root is the repository the source is declared in.
	Root            string
	Kind, Name, URL string
	// OCI is true for an OCIRepository and a HelmRepository of type oci.
	OCI bool
	// Tag and SemVer are an OCIRepository's spec.ref.
	Tag, SemVer string
}

// A chartWant is a chart a HelmRelease asks a HelmRepository for.
type chartWant struct {
	// Root is the repository the HelmRelease is declared in; Repo is the
	// HelmRepository's kind/name.
	Root, Repo, Chart, Version string
}

// A scan is what the repositories' YAML files declare: their chart sources
// and the charts HelmReleases want (matched to a HelmRepository of the same
// repository by name; the namespace is left out, as HelmReleases usually
// name a source of their own namespace).
type scan struct {
	Sources []source
	Wants   []chartWant
	// Files lists the files that hold a source, for the rewrite.
	Files []repoFile
}

// A repoFile is a file of a repository: its path relative to Root.
type repoFile struct{ Root, Rel string }

// scanRepos reads every YAML file under the folders; documents that do not
// parse (templates, for instance) are skipped.
func scanRepos(roots []string) (*scan, error) {
	s := &scan{}
	for _, root := range roots {
		if err := s.scanRepo(root); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// scanRepo reads one repository's files through an os.Root, which keeps
// symbolic links from leading out of it.
func (s *scan) scanRepo(root string) error {
	r, err := os.OpenRoot(root)
	if err != nil {
		return err
	}
	defer r.Close()
	return fs.WalkDir(r.FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(path); ext != ".yaml" && ext != ".yml" {
			return nil
		}
		data, err := r.ReadFile(path)
		if err != nil {
			return err
		}
		if s.read(root, data) {
			s.Files = append(s.Files, repoFile{Root: root, Rel: path})
		}
		return nil
	})
}

// read adds the documents of one file and reports whether it holds a source.
func (s *scan) read(root string, data []byte) bool {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	holds := false
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) || (err != nil && doc == nil) {
			return holds
		}
		if err != nil {
			continue
		}
		if s.add(root, doc) {
			holds = true
		}
	}
}

// add records one document and reports whether it is a chart source.
func (s *scan) add(root string, doc map[string]any) bool {
	kind := str(doc, "kind")
	name := str(doc, "metadata", "name")
	switch kind {
	case "OCIRepository":
		src := source{Root: root, Kind: kind, Name: name, URL: str(doc, "spec", "url"), OCI: true,
			Tag: str(doc, "spec", "ref", "tag"), SemVer: str(doc, "spec", "ref", "semver")}
		if strings.HasPrefix(src.URL, "oci://") {
			s.Sources = append(s.Sources, src)
			return true
		}
	case "HelmRepository":
		src := source{Root: root, Kind: kind, Name: name, URL: str(doc, "spec", "url")}
		src.OCI = str(doc, "spec", "type") == "oci" || strings.HasPrefix(src.URL, "oci://")
		if strings.HasPrefix(src.URL, "oci://") || strings.HasPrefix(src.URL, "https://") || strings.HasPrefix(src.URL, "http://") {
			s.Sources = append(s.Sources, src)
			return true
		}
	case "HelmRelease":
		if str(doc, "spec", "chart", "spec", "sourceRef", "kind") == "HelmRepository" {
			s.Wants = append(s.Wants, chartWant{
				Root:    root,
				Repo:    "HelmRepository/" + str(doc, "spec", "chart", "spec", "sourceRef", "name"),
				Chart:   str(doc, "spec", "chart", "spec", "chart"),
				Version: str(doc, "spec", "chart", "spec", "version"),
			})
		}
	}
	return false
}

// str returns the string at the path of keys, or "".
func str(v any, keys ...string) string {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[k]
	}
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	default:
		out, err := yaml.Marshal(x)
		if err != nil {
			return ""
		}
		return strings.TrimSpace(string(out))
	}
}
