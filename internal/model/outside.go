package model

import (
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/source"
)

// An Outside finds objects that the repository defines in files no render
// of a cluster reads: manifests applied by hand or by a bootstrap script
// (home-lab repositories keep the Secrets their Kustomizations substitute
// from in a bootstrap folder). Such an object probably exists in the
// cluster, so a reference to it is not reported as missing. It is made
// once per cluster and safe for concurrent use.
type Outside struct {
	repo *source.Repo
	// read holds the files the cluster's renders read, sorted.
	read []string
	// others are the entry folders of the other clusters of the run,
	// whose files are theirs.
	others []string

	once  sync.Once
	index map[string]finding.Pos
	// switchedOff indexes the objects of files that a kustomization
	// switches off in a commented-out line: they do not exist.
	switchedOff map[string]finding.Pos
	// texts caches the kustomization files of folders, by folder, while
	// the index is built.
	texts map[string][]string
	// offBases are the folders that only switched-off overlays include
	// (switchedOffBases): their files are switched off too.
	offBases []string
	// releases are the HelmReleases defined outside the renders.
	releases []outsideRelease
	// apps are the Argo CD Applications defined outside the renders.
	apps []outsideApp
	// scripts are the objects the repository's scripts create; nil for
	// none.
	scripts *Scripts
}

// An outsideRelease is a HelmRelease that the repository defines outside
// the cluster's renders: its chart, installed by hand or at bootstrap,
// makes objects named after it in its namespace.
type outsideRelease struct {
	namespace string
	prefixes  []string
	at        finding.Pos
}

// NewOutside returns the finder for the cluster at entry whose renders
// read the given files (sorted); clusters are the entry folders of the
// run's clusters. A file in another cluster's part of the repository is
// that cluster's, not applied by hand: its part is the folder, below where
// the two entry folders part, that holds its entry (kubernetes/staging for
// kubernetes/staging/cluster/config beside kubernetes/main/cluster/config,
// whose apps it also holds). scripts, shared by the run's clusters, are
// the objects the repository's scripts create with kubectl (nil: none).
func NewOutside(repo *source.Repo, read []string, entry string, clusters []string, scripts *Scripts) *Outside {
	o := &Outside{repo: repo, read: read, scripts: scripts}
	for _, dir := range clusters {
		if dir != "" && dir != "." && dir != entry && !under(entry, dir) {
			o.others = append(o.others, territory(entry, dir))
		}
	}
	return o
}

// territory returns the folder of another cluster's entry that lies just
// below the deepest folder holding both entries.
func territory(entry, other string) string {
	a, b := strings.Split(entry, "/"), strings.Split(other, "/")
	if entry == "" || entry == "." {
		a = nil
	}
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return strings.Join(b[:min(n+1, len(b))], "/")
}

// under reports whether a repository path is dir or lies below it.
func under(rel, dir string) bool {
	return rel == dir || strings.HasPrefix(rel, strings.TrimSuffix(dir, "/")+"/")
}

// Find returns where the repository defines an object of a kind and name
// outside the cluster's renders, in any namespace (a bootstrap
// kustomization often sets it).
func (o *Outside) Find(kind, name string) (finding.Pos, bool) {
	if o == nil || o.repo == nil {
		return finding.Pos{}, false
	}
	o.once.Do(o.build)
	pos, ok := o.index[KindKey(kind, "", name)]
	return pos, ok
}

// SwitchedOff returns where the repository defines an object of a kind
// and name in a file that a kustomization switches off in a commented-out
// line ("# - ./external.yaml"), which therefore does not exist.
func (o *Outside) SwitchedOff(kind, name string) (finding.Pos, bool) {
	if o == nil || o.repo == nil {
		return finding.Pos{}, false
	}
	o.once.Do(o.build)
	pos, ok := o.switchedOff[KindKey(kind, "", name)]
	return pos, ok
}

// build indexes the objects of the files the renders did not read, of
// the bootstrap templates (bootstrapTemplates), and those the scripts
// create with kubectl (Scripts). Files that are not
// Kubernetes objects are skipped, and a file is parsed only when it
// mentions "kind".
func (o *Outside) build() {
	o.index, o.switchedOff = map[string]finding.Pos{}, map[string]finding.Pos{}
	o.texts = map[string][]string{}
	var bootstrap, files, kdirs []string
	_ = o.repo.WalkYAML(func(rel string, dir bool) bool {
		if dir && path.Base(rel) == "bootstrap" {
			bootstrap = append(bootstrap, rel)
		}
		return false
	}, func(rel string) {
		files = append(files, rel)
		if isKustomizationFile(rel) {
			kdirs = append(kdirs, path.Dir(rel))
		}
	})
	o.offBases = switchedOffBases(o.repo, kdirs, o.kustomizationTexts)
	for _, rel := range append(files, bootstrapTemplates(o.repo, bootstrap)...) {
		o.indexFile(rel)
	}
	for k, pos := range o.scripts.objects() {
		if o.index[k] == (finding.Pos{}) {
			o.index[k] = pos
		}
	}
}

// kustomizationTexts returns the texts of a folder's kustomization files,
// read once a build.
func (o *Outside) kustomizationTexts(dir string) []string {
	texts, ok := o.texts[dir]
	if !ok {
		texts = kustomizationTexts(o.repo, dir)
		o.texts[dir] = texts
	}
	return texts
}

// indexFile indexes the objects of one file, unless a render read it or
// it is another cluster's; those of a file that a kustomization switches
// off in a commented-out line are indexed apart (SwitchedOff).
func (o *Outside) indexFile(rel string) {
	if _, read := slices.BinarySearch(o.read, rel); read || !o.repo.Mentions(rel, "kind") {
		return
	}
	if slices.ContainsFunc(o.others, func(dir string) bool { return under(rel, dir) }) {
		return
	}
	f, err := o.repo.File(rel)
	if err != nil {
		return
	}
	off := o.isSwitchedOff(rel)
	index := o.index
	if off {
		index = o.switchedOff
	}
	for _, d := range f.Docs {
		kind, name := d.Str("kind"), d.Str("metadata", "name")
		if kind == "" || name == "" || d.Str("apiVersion") == "" {
			continue
		}
		if k := KindKey(kind, "", name); index[k] == (finding.Pos{}) {
			index[k] = d.Pos()
		}
		if off {
			continue
		}
		if kind == "HelmRelease" && Group(d.Str("apiVersion")) == GroupHelm {
			o.addRelease(d)
		}
		if a, ok := newOutsideApp(d); ok {
			o.apps = append(o.apps, a)
		}
	}
}

// isSwitchedOff reports whether a kustomization switches a file off: in a
// commented-out line that names it or a folder above it, or through an
// overlay switched off so (switchedOffBases).
func (o *Outside) isSwitchedOff(rel string) bool {
	return commentedOut(rel, o.kustomizationTexts) || slices.ContainsFunc(o.offBases, func(d string) bool { return under(rel, d) })
}

// addRelease records a HelmRelease defined outside the renders: the names
// its chart's objects start with (the release name, the chart's name) in
// the namespace it installs into ("" when the file does not say).
func (o *Outside) addRelease(d *source.Document) {
	ns := d.Str("spec", "targetNamespace")
	if ns == "" {
		ns = d.Str("metadata", "namespace")
	}
	var prefixes []string
	for _, p := range []string{
		ReleaseName(d.Str("metadata", "name"), d.Str("spec", "releaseName"), d.Str("spec", "targetNamespace")),
		d.Str("metadata", "name"), path.Base(d.Str("spec", "chart", "spec", "chart")), d.Str("spec", "chartRef", "name"),
	} {
		if len(p) >= 3 && p != "." && !strings.ContainsAny(p, "${ ") && !slices.Contains(prefixes, p) {
			prefixes = append(prefixes, p)
		}
	}
	o.releases = append(o.releases, outsideRelease{namespace: ns, prefixes: prefixes, at: d.Pos()})
}

// ChartMade returns where the repository defines, outside the cluster's
// renders, a HelmRelease whose chart plausibly makes an object of a name
// in a namespace: the name is the release's or the chart's, or starts
// with it and a dash, in the namespace the release installs into. Its
// chart, installed by hand or at bootstrap (Cilium before Flux runs),
// makes what references name.
func (o *Outside) ChartMade(namespace, name string) (finding.Pos, bool) {
	if o == nil || o.repo == nil {
		return finding.Pos{}, false
	}
	o.once.Do(o.build)
	for _, r := range o.releases {
		if r.namespace != "" && namespace != "" && r.namespace != namespace {
			continue
		}
		for _, p := range r.prefixes {
			if name == p || strings.HasPrefix(name, p+"-") {
				return r.at, true
			}
		}
	}
	return finding.Pos{}, false
}

// bootstrapTemplates returns the YAML templates (*.yaml.j2, *.yml.j2,
// *.yaml.tpl, *.yml.tpl) in the given bootstrap folders and below them:
// the home-lab layout keeps the Secrets that the cluster needs before Flux
// runs in bootstrap/resources.yaml.j2, which its bootstrap script fills
// from a password manager and applies, or in bootstrap/secrets.yaml.tpl,
// which 1Password's op inject fills before kubectl applies it; the older
// cluster-template keeps the cluster's whole Flux configuration (its
// HelmRepositories, its settings) as bootstrap/templates/kubernetes/**,
// which makejinja renders into the repository, where a repository that
// does not commit the result has none of it. The documents of a template
// that parse are objects applied by hand; the rest are skipped. At most
// maxBootstrapTemplates are taken; hidden folders and symbolic links are
// not followed.
func bootstrapTemplates(repo *source.Repo, dirs []string) []string {
	var out []string
	for _, dir := range dirs {
		_ = filepath.WalkDir(repo.Abs(dir), func(abs string, e fs.DirEntry, err error) error {
			if err != nil || len(out) >= maxBootstrapTemplates {
				return filepath.SkipDir
			}
			if e.IsDir() && strings.HasPrefix(e.Name(), ".") {
				return filepath.SkipDir
			}
			if e.Type().IsRegular() && isBootstrapTemplate(strings.ToLower(e.Name())) {
				if rel, ok := repo.Rel(abs); ok {
					out = append(out, rel)
				}
			}
			return nil
		})
	}
	return out
}

// maxBootstrapTemplates bounds the templates Outside indexes.
const maxBootstrapTemplates = 2000

// isBootstrapTemplate says whether a lower-case file name is that of a
// YAML template a bootstrap script fills: Jinja (.j2) or op inject (.tpl).
func isBootstrapTemplate(name string) bool {
	for _, ext := range []string{".yaml.j2", ".yml.j2", ".yaml.tpl", ".yml.tpl"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// Names returns, sorted, the names of the objects of a kind that the
// repository defines outside the cluster's renders.
func (o *Outside) Names(kind string) []string {
	if o == nil || o.repo == nil {
		return nil
	}
	o.once.Do(o.build)
	prefix := KindKey(kind, "", "")
	var names []string
	for k := range o.index {
		if name, ok := strings.CutPrefix(k, prefix); ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}
