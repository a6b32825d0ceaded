package flux

import (
	"bufio"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// componentsHeader matches the header flux bootstrap writes at the top of
// gotk-components.yaml: "# Flux Version: v2.2.3".
var componentsHeader = regexp.MustCompile(`^#\s*Flux Version:\s*v?(\d+)\.(\d+)`)

// componentsVersion returns the Flux release ("2.2") that a
// gotk-components.yaml among the files a cluster's render read installs,
// or "": the one its header names, else the one its objects' labels name.
func componentsVersion(repo *source.Repo, files []string) (string, finding.Pos) {
	for _, rel := range files {
		if path.Base(rel) != "gotk-components.yaml" {
			continue
		}
		if v, line := headerVersion(repo.Abs(rel)); v != "" {
			return v, finding.Pos{File: rel, Line: line, Col: 1}
		}
		if v, at := labelVersion(repo, rel); v != "" {
			return v, at
		}
	}
	return "", finding.Pos{}
}

// Labels that flux install writes on every object it generates
// (pkg/manifestgen/install/templates.go of fluxcd/flux2, labelsTmpl):
// part-of flux, and the version of the release.
const (
	labelPartOf      = "app.kubernetes.io/part-of"
	labelFluxVersion = "app.kubernetes.io/version"
)

// labelVersion returns the Flux release that the labels of the first
// object of a gotk-components.yaml name, and the position of the label.
// Flux releases before the header (v0.x) wrote only these.
func labelVersion(repo *source.Repo, rel string) (string, finding.Pos) {
	f, err := repo.File(rel)
	if err != nil {
		return "", finding.Pos{}
	}
	for _, d := range f.Docs {
		if d.Str("metadata", "labels", labelPartOf) != "flux" {
			continue
		}
		if m := manifestsTag.FindStringSubmatch(d.Str("metadata", "labels", labelFluxVersion)); m != nil {
			return m[1] + "." + m[2], d.PosOf([]string{"metadata", "labels", labelFluxVersion})
		}
		return "", finding.Pos{}
	}
	return "", finding.Pos{}
}

// headerVersion reads the Flux version from the first lines of a file, and
// the line that names it.
func headerVersion(abs string) (string, int) {
	f, err := os.Open(abs)
	if err != nil {
		return "", 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for i := 1; i <= 10 && sc.Scan(); i++ {
		if m := componentsHeader.FindStringSubmatch(sc.Text()); m != nil {
			return m[1] + "." + m[2], i
		}
	}
	return "", 0
}

// manifestsTag matches the tag of Flux's own release artifact,
// oci://ghcr.io/fluxcd/flux-manifests: "v2.4.0".
var manifestsTag = regexp.MustCompile(`^v?(\d+)\.(\d+)(\.\d+)?$`)

// manifestsVersion returns the Flux release ("2.4") that a cluster installs
// from Flux's own release sources instead of a gotk-components.yaml: an
// OCIRepository of oci://ghcr.io/fluxcd/flux-manifests (or a mirror of
// it), or a GitRepository of github.com/fluxcd/flux2 (whose
// manifests/install a Kustomization builds), at a version tag. The
// position is the tag's.
func manifestsVersion(objects []*model.Object) (string, finding.Pos) {
	for _, o := range objects {
		if !model.IsFluxRelease(o) {
			continue
		}
		if m := manifestsTag.FindStringSubmatch(str(o.Content, "spec", "ref", "tag")); m != nil {
			return m[1] + "." + m[2], o.PosOf([]string{"spec", "ref", "tag"})
		}
	}
	return "", finding.Pos{}
}

// strictSince is the first Flux release whose kustomize-controller (v1.9)
// fails a Kustomization on a variable without a value
// (StrictPostBuildSubstitutions on by default).
const strictSince = 9

// lenient reports whether the cluster's Flux substitutes a variable without
// a value by an empty string instead of failing: as kustomize-controller's
// StrictPostBuildSubstitutions feature gate says when the cluster sets it
// (or, on a second walk, the first walk found it set), else releases
// before 2.9, the 0.x ones of Flux v2's beta included.
func (c *cluster) lenient() bool {
	if c.gate != nil {
		return !*c.gate
	}
	if c.steady != nil && c.steady.gate != nil {
		return !*c.steady.gate
	}
	c.detectVersion()
	v := strings.TrimPrefix(c.FluxVersion, "v")
	if v == "" {
		v = c.siblingRelease()
	}
	major, rest, ok := strings.Cut(v, ".")
	if ok && major == "0" {
		return true
	}
	if !ok || major != "2" {
		return false
	}
	minor, _, _ := strings.Cut(rest, ".")
	n, err := strconv.Atoi(minor)
	return err == nil && n < strictSince
}

// detectVersion sets the cluster's Flux release, when nothing set it, from
// what its renders so far read: the header of a gotk-components.yaml, or
// Flux's own release source. The entry folder, rendered first, holds
// either in the usual layouts, so later renders substitute as that
// release does.
func (c *cluster) detectVersion() {
	if c.FluxVersion != "" || c.repo == nil {
		return
	}
	var headers []string // only these files can name it; sorted, for one answer
	for rel := range c.read {
		if path.Base(rel) == "gotk-components.yaml" {
			headers = append(headers, rel)
		}
	}
	slices.Sort(headers)
	c.FluxVersion, c.FluxVersionAt = componentsVersion(c.repo, headers)
	if c.FluxVersion == "" {
		c.FluxVersion, c.FluxVersionAt = manifestsVersion(c.objects)
	}
}

// siblingRelease returns, once, the release of the cluster's siblings
// (siblingVersion) for a cluster whose own files name none. It decides only
// how the cluster substitutes: its schemas stay those of the release its
// apiVersions call for.
func (c *cluster) siblingRelease() string {
	if c.sibling == nil {
		v := ""
		if c.repo != nil && c.sources != nil {
			v, _ = siblingVersion(c.repo, c.Path, c.sources.Clusters)
		}
		c.sibling = &v
	}
	return strings.TrimPrefix(*c.sibling, "v")
}

// siblingVersion returns the Flux release that the gotk-components.yaml
// files in the entry folders of the repository's other clusters name, when
// they all name the same one, and where the first names it; else "". A
// cluster that names no release (one that a CI script installs with `flux
// install`, beside a bootstrapped production cluster) is run by the people
// who pin the release of its siblings, so it substitutes as that release
// does rather than as the newest.
func siblingVersion(repo *source.Repo, self string, clusters []string) (string, finding.Pos) {
	var files []string
	for _, dir := range clusters {
		if dir == self || dir == "." || dir == "" {
			continue
		}
		_ = repo.WalkYAML(func(rel string, _ bool) bool {
			return !within(rel, dir) && !within(dir, rel)
		}, func(rel string) {
			if within(rel, dir) && path.Base(rel) == "gotk-components.yaml" && !within(rel, self) {
				files = append(files, rel)
			}
		})
	}
	slices.Sort(files)
	files = slices.Compact(files)
	version, at := "", finding.Pos{}
	for _, rel := range files {
		v, pos := componentsVersion(repo, []string{rel})
		switch {
		case v == "":
		case version == "":
			version, at = v, pos
		case v != version:
			return "", finding.Pos{}
		}
	}
	return version, at
}

// within reports whether a repository path is a folder or lies under it.
func within(rel, dir string) bool {
	return rel == dir || strings.HasPrefix(rel, dir+"/")
}
