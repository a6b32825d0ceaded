package flux

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/gitroot"
	"github.com/fluxlint/fluxlint/internal/helm"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/render"
	"github.com/fluxlint/fluxlint/internal/source"
)

// Rule IDs of the findings about sources.
const (
	RuleSourceUnavailable = "flux-source-unavailable"
	RuleSourceMissing     = "flux-source-missing"
)

// Sources resolves Flux sources to folders of the local tree. It is shared
// by the clusters of one run and safe for concurrent use.
type Sources struct {
	repo *source.Repo
	// self holds the normalised URLs that mean this repository.
	self map[string]bool
	// selfRef is the ref of the repository's own flux-system GitRepository,
	// as refName gives it; "" when the repository defines none.
	selfRef string
	// mapped maps normalised URLs of other repositories to local folders.
	mapped map[string]string
	// gitRepos maps the namespace/name of each GitRepository the
	// repository writes to the normalised URLs it gives.
	gitRepos map[string][]string

	// Charts, when set, renders HelmReleases; nil leaves them unrendered.
	Charts *helm.Charts
	// Builds, when set, keeps kustomize builds between runs.
	Builds *render.BuildCache
	// Memo, when set, keeps renders in memory between runs (the language
	// server).
	Memo *render.Memo
	// FluxVersion is the Flux release the run was asked to check against
	// (--flux-version); it wins over what a repository says.
	FluxVersion string
	// Clusters are the entry folders of the run's clusters: a file under
	// another cluster's folder is that cluster's, not applied by hand.
	Clusters []string

	// scripts finds what the repository's scripts create with kubectl,
	// for every cluster's model.Outside.
	scripts *model.Scripts

	// remotes are the URLs that name this repository for certain: its Git
	// remotes, and the URLs the configuration maps to ".".
	remotes map[string]bool

	mu        sync.Mutex
	artifacts map[string]*render.Artifact
}

// NewSources returns a resolver for repo. urls maps more Git URLs to local
// folders (relative to the repository or absolute); a URL mapped to "." is
// this repository.
func NewSources(repo *source.Repo, urls map[string]string) *Sources {
	s := &Sources{repo: repo, self: map[string]bool{}, remotes: map[string]bool{}, mapped: map[string]string{}, gitRepos: map[string][]string{}, artifacts: map[string]*render.Artifact{},
		scripts: model.NewScripts(repo)}
	for _, u := range gitRemotes(repo.Root) {
		s.self[u], s.remotes[u] = true, true
	}
	for u, dir := range urls {
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(repo.Root, dir)
		}
		// The root is symlink-free, as the repository's is: a build's
		// folder is refused when, resolved, it is not below the root.
		if resolved, err := filepath.EvalSymlinks(dir); err == nil {
			dir = resolved
		}
		if filepath.Clean(dir) == repo.Root {
			s.self[NormalizeURL(u)], s.remotes[NormalizeURL(u)] = true, true
			continue
		}
		s.mapped[NormalizeURL(u)] = filepath.Clean(dir)
	}
	s.findSelf()
	return s
}

// SelfURLs returns the normalised URLs that name this repository, sorted.
func (s *Sources) SelfURLs() []string { return sortedKeys(s.self) }

// findSelf reads the flux-system GitRepositories that flux bootstrap wrote
// anywhere in the repository: their URL is this repository's, even for a
// cluster folder that does not include them.
func (s *Sources) findSelf() {
	_ = s.repo.WalkYAML(nil, func(rel string) {
		// A GitRepository that gives a URL names both; a Kustomization's
		// sourceRef names only the first. Most files are not parsed at
		// all in a run whose clusters come from the result cache.
		namesURL := s.repo.Mentions(rel, "GitRepository") && s.repo.Mentions(rel, "url")
		if !namesURL && !s.repo.Mentions(rel, "sync") {
			return
		}
		f, err := s.repo.File(rel)
		if err != nil {
			return
		}
		// A FluxInstance that syncs a folder of this repository names
		// this repository's URL.
		for _, sync := range instanceSyncs(s.repo, readFacts(s.repo, rel)) {
			if sync.url != "" {
				s.self[NormalizeURL(sync.url)] = true
			}
		}
		for _, d := range f.Docs {
			s.noteGitRepository(d)
			if d.Str("kind") != "GitRepository" || !bootstrapSyncSource(rel, d) {
				continue
			}
			if u := d.Str("spec", "url"); u != "" {
				s.self[NormalizeURL(u)] = true
				if s.selfRef == "" {
					if obj := d.Object(); obj != nil {
						s.selfRef = refName(&model.Object{Content: obj})
					}
				}
			}
		}
	})
}

// noteGitRepository records the URL of a GitRepository document.
func (s *Sources) noteGitRepository(d *source.Document) {
	if d.Str("kind") == "GitRepository" && d.Str("spec", "url") != "" {
		key := d.Str("metadata", "namespace") + "/" + d.Str("metadata", "name")
		s.gitRepos[key] = append(s.gitRepos[key], NormalizeURL(d.Str("spec", "url")))
	}
}

// bootstrapSource reports whether a source is the GitRepository that flux
// bootstrap makes.
func bootstrapSource(kind, ns, name string) bool {
	return kind == "GitRepository" && ns == "flux-system" && name == "flux-system"
}

// configSyncs reports whether a Flux configuration that a script makes
// with the Azure CLI names the GitRepository of a namespace and name,
// which Azure's Flux extension makes, and reads this repository: its URL
// is this repository's, or one of its Kustomizations applies dir, a
// folder of this repository.
func (s *Sources) configSyncs(ns, name, dir string) bool {
	return slices.ContainsFunc(s.scripts.FluxConfigs(), func(fc model.FluxConfig) bool {
		return fc.Namespace == ns && fc.Name == name &&
			(s.self[NormalizeURL(fc.URL)] || slices.ContainsFunc(fc.Paths, func(p string) bool { return path.Clean(p) == path.Clean(dir) }))
	})
}

// namesSelf reports whether the repository writes a GitRepository of a
// namespace and name whose URL is this repository's.
func (s *Sources) namesSelf(ns, name string) bool {
	return slices.ContainsFunc(s.gitRepos[ns+"/"+name], func(u string) bool { return s.self[u] })
}

// bootstrapSyncSource reports whether a GitRepository document of the file
// rel is the sync source that flux bootstrap writes: flux-system/flux-system,
// or, bootstrapped with --namespace NS, NS/NS in the NS/gotk-sync.yaml of
// the cluster's folder (flux bootstrap names the source after its
// namespace).
func bootstrapSyncSource(rel string, d *source.Document) bool {
	ns, name := d.Str("metadata", "namespace"), d.Str("metadata", "name")
	if ns == "flux-system" && name == "flux-system" {
		return true
	}
	return ns != "" && ns == name && path.Base(rel) == path.Base(bootstrapSync) && path.Base(path.Dir(rel)) == ns
}

// namedLikeSelfSyncs reports whether a GitRepository ns/name is named as
// flux bootstrap names a cluster's sync source, after its namespace, when
// the repository writes such a sync of this repository in a namespace
// other than flux-system (flux bootstrap --namespace): its clusters are
// bootstrapped so, and one whose folder does not hold its sync syncs from
// ns/ns.
func (s *Sources) namedLikeSelfSyncs(ns, name string) bool {
	if ns != name || ns == "flux-system" {
		return false
	}
	for key, urls := range s.gitRepos {
		other, otherName, _ := strings.Cut(key, "/")
		if other == otherName && other != "flux-system" && slices.ContainsFunc(urls, func(u string) bool { return s.self[u] }) {
			return true
		}
	}
	return false
}

// artifact returns the artifact rooted at a folder with extra ignore rules,
// made once per run.
func (s *Sources) artifact(root, ignore string) (*render.Artifact, error) {
	key := root + "\x00" + ignore
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.artifacts[key]; ok {
		return a, nil
	}
	a, err := render.NewArtifact(root, ignore)
	if err != nil {
		return nil, err
	}
	if root == s.repo.Root {
		a.Prefix = gitroot.Prefix(root)
	}
	s.artifacts[key] = a
	return a, nil
}

// unavailable is why a source cannot be had offline, or nil.
type unavailable struct {
	severity finding.Severity
	rule     string
	message  string
	// names is the source a sourceRef names that the cluster does not
	// define, or nil.
	names *finding.ObjectRef
}

// resolve finds the artifact of a Flux Kustomization's sourceRef.
func (s *Sources) resolve(c *cluster, ks *model.Object) (*render.Artifact, *unavailable) {
	kind, ns, name := model.SourceRef(ks)
	if kind == "ExternalArtifact" {
		// Its object is made in the cluster by an ArtifactGenerator.
		return s.externalArtifact(c, ns, name)
	}
	if ks.Target == "" && c.syncSources[model.ObjectKey(model.GroupSource, kind, ns, name)] && !s.anotherSync(c, kind, ns, name) {
		return s.syncSource(c, ks, kind, ns, name)
	}
	src := c.lookup(ks.Target, kind, ns, name)
	if src == nil && (bootstrapSource(kind, ns, name) || c.outsideSync(ks, kind, ns, name)) {
		// flux bootstrap creates the cluster's own source, or a person
		// made it with the root: it is this tree.
		return s.load(s.repo.Root, "")
	}
	if src == nil {
		return nil, &unavailable{finding.Error, RuleSourceMissing,
			fmt.Sprintf("sourceRef names %s %s/%s, which this cluster does not define", kind, ns, name),
			&finding.ObjectRef{Kind: kind, Namespace: ns, Name: name}}
	}
	switch kind {
	case "GitRepository":
		return s.gitRepository(c, src)
	case "OCIRepository", "Bucket":
		if a, ok := s.mappedArtifact(src); ok {
			return a, nil
		}
	}
	return nil, &unavailable{severity: finding.Warning, rule: RuleSourceUnavailable, message: fmt.Sprintf("%s %s/%s (%s) cannot be read offline; map its URL to a local folder in .fluxlint.yaml (sources) to check what it deploys", kind, ns, name, sourceURL(src))}
}

// anotherSync reports whether a source that a root Kustomization of the
// cluster names is a GitRepository of another repository although the
// root's folder made it a sync source (an orphan root applied by hand): its
// URL is not one of this repository's remotes while the URL of another
// sync source of the cluster is. Two roots that build one path from two
// repositories (a repository that shares its layout with a sibling one)
// are then told apart by the remote; without that evidence every sync
// source stays this tree.
func (s *Sources) anotherSync(c *cluster, kind, ns, name string) bool {
	if kind != "GitRepository" || len(s.remotes) == 0 {
		return false
	}
	src := c.lookup("", kind, ns, name)
	if src == nil {
		return false
	}
	own := NormalizeURL(str(src.Content, "spec", "url"))
	if own == "" || s.remotes[own] || s.mapped[own] != "" {
		return false
	}
	for _, o := range c.objects {
		if o.Target == "" && o.Ref.Kind == "GitRepository" && o != src &&
			c.syncSources[model.ObjectKey(model.GroupSource, o.Ref.Kind, o.Ref.Namespace, o.Ref.Name)] &&
			s.remotes[NormalizeURL(str(o.Content, "spec", "url"))] {
			return true
		}
	}
	return false
}

// syncSource returns the artifact of the source a cluster's sync names:
// this tree, whatever it is called and wherever it points.
func (s *Sources) syncSource(c *cluster, ks *model.Object, kind, ns, name string) (*render.Artifact, *unavailable) {
	if other := c.syncSibling(ks, kind, ns, name); other != "" {
		// flux bootstrap writes the source beside its Kustomization: one
		// named otherwise there is the one meant.
		return nil, &unavailable{severity: finding.Error, rule: RuleSourceMissing, message: fmt.Sprintf("sourceRef names %s %s/%s, which this cluster does not define; did you mean %s?", kind, ns, name, other)}
	}
	if src := c.lookup("", kind, ns, name); src != nil {
		c.selfSources[src] = true
	}
	return s.load(s.repo.Root, c.ignoreOf(kind, ns, name))
}

// ignoreOf returns the spec.ignore of a source the cluster renders, "" when
// it renders none.
func (c *cluster) ignoreOf(kind, ns, name string) string {
	if src := c.lookup("", kind, ns, name); src != nil {
		return str(src.Content, "spec", "ignore")
	}
	return ""
}

// sourceURL returns where an OCIRepository or Bucket reads from: its URL,
// or a Bucket's endpoint and bucket name.
func sourceURL(src *model.Object) string {
	if src.Ref.Kind == "Bucket" {
		return strings.TrimSuffix(str(src.Content, "spec", "endpoint"), "/") + "/" + str(src.Content, "spec", "bucketName")
	}
	return str(src.Content, "spec", "url")
}

// mappedArtifact resolves an OCIRepository or Bucket that the configuration
// maps to a local folder: by its whole URL, or by the longest mapped prefix
// of it, the rest of the URL then naming a subfolder. A URL that means this
// repository (a FluxInstance syncs it) is this tree.
func (s *Sources) mappedArtifact(src *model.Object) (*render.Artifact, bool) {
	url := NormalizeURL(sourceURL(src))
	ignore := str(src.Content, "spec", "ignore")
	if s.self[url] {
		a, un := s.load(s.repo.Root, ignore)
		return a, un == nil
	}
	best, dir := "", ""
	for prefix, d := range s.mapped {
		if (url == prefix || strings.HasPrefix(url, prefix+"/")) && len(prefix) > len(best) {
			best, dir = prefix, d
		}
	}
	if best == "" {
		return nil, false
	}
	sub := strings.TrimPrefix(strings.TrimPrefix(url, best), "/")
	full := filepath.Join(dir, filepath.FromSlash(sub))
	if rel, err := filepath.Rel(dir, full); err != nil || strings.HasPrefix(rel, "..") {
		return nil, false
	}
	a, un := s.load(full, ignore)
	return a, un == nil
}

// gitRepository resolves a GitRepository: this repository when it is the
// cluster's flux-system source or has the same URL and ref, a mapped folder,
// or unavailable.
func (s *Sources) gitRepository(c *cluster, src *model.Object) (*render.Artifact, *unavailable) {
	ignore := str(src.Content, "spec", "ignore")
	url := NormalizeURL(str(src.Content, "spec", "url"))
	if dir, ok := s.mapped[url]; ok {
		return s.load(dir, ignore)
	}
	self := c.selfSource()
	selfRef := s.selfRef
	isSelf := src == self || s.self[url]
	if self != nil {
		selfRef = refName(self)
		isSelf = isSelf || NormalizeURL(str(self.Content, "spec", "url")) == url
	}
	if !isSelf {
		return nil, &unavailable{severity: finding.Warning, rule: RuleSourceUnavailable, message: fmt.Sprintf("GitRepository %s/%s (%s) is another repository; map its URL to a local folder in .fluxlint.yaml (sources) to check what it deploys", src.Ref.Namespace, src.Ref.Name, str(src.Content, "spec", "url"))}
	}
	if src != self && selfRef != "" && refName(src) != selfRef {
		return nil, &unavailable{severity: finding.Info, rule: RuleSourceUnavailable, message: fmt.Sprintf("GitRepository %s/%s points at this repository at another ref (%s); the local tree is %s, so its content is not checked", src.Ref.Namespace, src.Ref.Name, refName(src), selfRef)}
	}
	c.selfSources[src] = true
	return s.load(s.repo.Root, ignore)
}

func (s *Sources) load(dir, ignore string) (*render.Artifact, *unavailable) {
	a, err := s.artifact(dir, ignore)
	if err != nil {
		return nil, &unavailable{severity: finding.Error, rule: RuleSourceUnavailable, message: err.Error()}
	}
	return a, nil
}

// refName describes spec.ref of a GitRepository by the field that decides
// what source-controller checks out (commit, then name, semver, tag and
// branch, as GitRepositoryRef documents), so that two refs that check out
// the same thing are described alike: a name refs/heads/X is branch X and
// a name refs/tags/X is tag X.
func refName(o *model.Object) string {
	for _, k := range []string{"commit", "name", "semver", "tag", "branch"} {
		v := str(o.Content, "spec", "ref", k)
		if v == "" {
			continue
		}
		if k == "name" {
			if b, ok := strings.CutPrefix(v, "refs/heads/"); ok {
				return "branch " + b
			}
			if t, ok := strings.CutPrefix(v, "refs/tags/"); ok {
				return "tag " + t
			}
		}
		return k + " " + v
	}
	return "the default branch"
}

// externalArtifact resolves an ExternalArtifact made by an ArtifactGenerator
// whose copies take one folder of a local source as they are, which is the
// common monorepo layout.
func (s *Sources) externalArtifact(c *cluster, namespace, name string) (*render.Artifact, *unavailable) {
	base, dir, un := s.generatedFolder(c, "", namespace, name, CommonCopyRoot)
	if un != nil {
		return nil, un
	}
	return s.load(filepath.Join(base.Root, filepath.FromSlash(dir)), "")
}

// generatedFolder finds the artifact name that an ArtifactGenerator of
// namespace (and of target, unless it is "") makes, and returns the
// artifact of the local source its copies read and the folder of it that
// copies (the alias and folder copyRoot finds in the artifact's copies).
func (s *Sources) generatedFolder(c *cluster, target, namespace, name string, copyRoot func(map[string]any) (alias, dir string, ok bool)) (*render.Artifact, string, *unavailable) {
	fail := &unavailable{severity: finding.Warning, rule: RuleSourceUnavailable, message: fmt.Sprintf("ExternalArtifact %s/%s cannot be read offline: no ArtifactGenerator of this cluster makes it of one folder of a local source", namespace, name)}
	for _, gen := range c.objects {
		if target != "" && gen.Target != target || !model.IsKind(gen, model.GroupSourceExt, "ArtifactGenerator") || gen.Ref.Namespace != namespace {
			continue
		}
		artifacts, _ := value(gen.Content, "spec", "artifacts").([]any)
		for _, a := range artifacts {
			am, _ := a.(map[string]any)
			if am["name"] != name {
				continue
			}
			alias, dir, ok := copyRoot(am)
			if !ok {
				return nil, "", fail
			}
			from := generatorSource(gen, alias)
			if from == nil {
				return nil, "", fail
			}
			base, un := s.generatorBase(c, *from)
			if un != nil {
				return nil, "", un
			}
			return base, dir, nil
		}
	}
	return nil, "", fail
}

// CommonCopyRoot checks that every copy of an ArtifactGenerator artifact maps
// "@alias/<dir>/<sub>/**" to "@artifact/<sub>/", so that the artifact is the
// folder <dir> of the source, and returns alias and dir.
func CommonCopyRoot(artifact map[string]any) (alias, dir string, ok bool) {
	copies, _ := artifact["copy"].([]any)
	if len(copies) == 0 {
		return "", "", false
	}
	for i, c := range copies {
		cm, _ := c.(map[string]any)
		from, _ := cm["from"].(string)
		to, _ := cm["to"].(string)
		if !strings.HasPrefix(from, "@") || !strings.HasSuffix(from, "/**") || !strings.HasPrefix(to, "@artifact/") {
			return "", "", false
		}
		a, rest, _ := strings.Cut(strings.TrimSuffix(from, "/**"), "/")
		sub := strings.Trim(strings.TrimPrefix(to, "@artifact/"), "/")
		if sub != "" && !strings.HasSuffix(rest, "/"+sub) && rest != sub {
			return "", "", false
		}
		d := strings.TrimSuffix(strings.TrimSuffix(rest, sub), "/")
		if i > 0 && (a != alias || d != dir) {
			return "", "", false
		}
		alias, dir = a, path.Clean("/" + d)[1:]
	}
	return strings.TrimPrefix(alias, "@"), dir, true
}

// generatorBase resolves the GitRepository an ArtifactGenerator copies from.
func (s *Sources) generatorBase(c *cluster, ref [3]string) (*render.Artifact, *unavailable) {
	src := c.lookup("", "GitRepository", ref[1], ref[2])
	if src == nil && ref[1] == "flux-system" && ref[2] == "flux-system" {
		return s.load(s.repo.Root, "")
	}
	if src == nil {
		return nil, &unavailable{severity: finding.Error, rule: RuleSourceMissing, message: fmt.Sprintf("ArtifactGenerator source GitRepository %s/%s is not defined", ref[1], ref[2])}
	}
	return s.gitRepository(c, src)
}

// generatorSource finds the source an ArtifactGenerator names by alias, as
// kind, namespace and name.
func generatorSource(gen *model.Object, alias string) *[3]string {
	sources, _ := value(gen.Content, "spec", "sources").([]any)
	for _, s := range sources {
		sm, _ := s.(map[string]any)
		if sm["alias"] != alias {
			continue
		}
		kind, _ := sm["kind"].(string)
		name, _ := sm["name"].(string)
		ns, _ := sm["namespace"].(string)
		if ns == "" {
			ns = gen.Ref.Namespace
		}
		if kind == "GitRepository" {
			return &[3]string{kind, ns, name}
		}
	}
	return nil
}

// syncSibling returns the name of the source of kind in namespace that the
// file of a sync Kustomization (flux bootstrap's gotk-sync.yaml) defines
// when the cluster defines none of the name its sourceRef gives, or "".
func (c *cluster) syncSibling(ks *model.Object, kind, namespace, name string) string {
	if ks.Doc == nil || c.lookup("", kind, namespace, name) != nil {
		return ""
	}
	for _, o := range c.objects {
		if o.Doc != nil && o.Doc.File.Path == ks.Doc.File.Path && model.IsKind(o, model.GroupSource, kind) && o.Ref.Namespace == namespace {
			return o.Ref.Name
		}
	}
	return ""
}

// externalChart resolves the chart of an ExternalArtifact that a
// HelmRelease's chartRef names, made in the target cluster by an
// ArtifactGenerator: the source's artifact and the chart's folder in it.
// helm-controller loads the artifact as a chart archive, whose files lie
// in one folder at its root (Helm's loader drops the first element of each
// path), so the chart is that folder. An artifact made by one copy that
// puts a folder of a local source there as it is, "@alias/dir" to
// "@artifact/" (source-watcher copies a folder named without a glob as cp
// -r does, into dest/<folder>) or "@alias/dir/**" to "@artifact/<name>/",
// has the source's folder dir as its chart.
func (s *Sources) externalChart(c *cluster, target, namespace, name string) (*render.Artifact, string, *unavailable) {
	return s.generatedFolder(c, target, namespace, name, chartCopy)
}

// chartCopy checks that an ArtifactGenerator artifact is made by one copy
// that puts a folder of a source as it is in a folder at the artifact's
// root, and returns the source's alias and that folder.
func chartCopy(artifact map[string]any) (alias, dir string, ok bool) {
	copies, _ := artifact["copy"].([]any)
	if len(copies) != 1 {
		return "", "", false
	}
	cm, _ := copies[0].(map[string]any)
	from, _ := cm["from"].(string)
	to, _ := cm["to"].(string)
	if cm["exclude"] != nil || cm["strategy"] != nil && cm["strategy"] != "Overwrite" || !strings.HasPrefix(from, "@") {
		return "", "", false
	}
	alias, rest, found := strings.Cut(from[1:], "/")
	sub, isArtifact := strings.CutPrefix(to, "@artifact/")
	if !found || !isArtifact {
		return "", "", false
	}
	sub = strings.Trim(sub, "/")
	switch {
	case !strings.ContainsAny(rest, "*?[]") && sub == "":
		// cp -r dir @artifact/: the artifact holds dir's last folder.
		dir = rest
	case strings.HasSuffix(rest, "/**") && !strings.ContainsAny(strings.TrimSuffix(rest, "/**"), "*?[]") && sub != "" && !strings.Contains(sub, "/"):
		dir = strings.TrimSuffix(rest, "/**")
	default:
		return "", "", false
	}
	dir = path.Clean("/" + strings.TrimSuffix(dir, "/"))[1:]
	if dir == "" {
		return "", "", false
	}
	return alias, dir, true
}
