package schema

import (
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/fluxlint/fluxlint/schemas"
)

// A CatalogueProject is one project of the embedded CRD catalogue: the
// CRDs of projects Flux users deploy (cert-manager, Gateway API,
// prometheus-operator...), used for kinds that neither the embedded
// Kubernetes and Flux schemas nor a CRD of the repository describe.
type CatalogueProject struct {
	// Name is what Options.CatalogueVersions calls the project, e.g.
	// "cert-manager".
	Name       string
	Repository string
	License    string
	// Groups are the API groups of its CRDs.
	Groups []string
	// Versions are the embedded versions, the default first.
	Versions []string
	// Sources name, for each version, where its CRDs were read.
	Sources []string
}

// catalogueIndex is the decoded index of the catalogue.
type catalogueIndex struct {
	projects []CatalogueProject
	bundles  []string       // bundle file of each project
	byGroup  map[string]int // API group to index in projects
	loaders  []func() (*catalogueBundle, error)
}

// A catalogueBundle is the decoded bundle of one project: for each
// version, its CRDs by group and kind.
type catalogueBundle struct {
	versions map[string]map[groupKind]*catalogueCRD
}

// A catalogueCRD is one CRD of the catalogue, compiled the first time an
// object of its kind is validated, once per process: a CRD is immutable,
// so every Validator shares it.
type catalogueCRD struct {
	raw  json.RawMessage
	once sync.Once
	crd  *CRD
	err  error
}

func (c *catalogueCRD) compiled() (*CRD, error) {
	c.once.Do(func() {
		obj, err := decodeRawCRD(c.raw)
		if err != nil {
			c.err = err
			return
		}
		c.crd, c.err = CompileCRD(obj)
	})
	return c.crd, c.err
}

// loadCatalogue decodes the catalogue's index the first time a kind is
// looked up in it; a run whose kinds all have schemas never reads it.
var loadCatalogue = sync.OnceValues(func() (*catalogueIndex, error) {
	var raw struct {
		Projects []struct {
			Name       string   `json:"name"`
			Repository string   `json:"repository"`
			License    string   `json:"license"`
			Bundle     string   `json:"bundle"`
			Groups     []string `json:"groups"`
			Versions   []struct {
				Version string `json:"version"`
				Source  string `json:"source"`
			} `json:"versions"`
		} `json:"projects"`
	}
	if err := decodeBundle(schemas.Catalogue, schemas.CatalogueIndex, &raw, false); err != nil {
		return nil, err
	}
	idx := &catalogueIndex{byGroup: map[string]int{}}
	for i, p := range raw.Projects {
		cp := CatalogueProject{Name: p.Name, Repository: p.Repository, License: p.License, Groups: p.Groups}
		for _, v := range p.Versions {
			cp.Versions = append(cp.Versions, v.Version)
			cp.Sources = append(cp.Sources, v.Source)
		}
		idx.projects = append(idx.projects, cp)
		idx.bundles = append(idx.bundles, p.Bundle)
		for _, g := range p.Groups {
			idx.byGroup[g] = i
		}
		name := path.Join(schemas.CatalogueDir, p.Bundle)
		idx.loaders = append(idx.loaders, sync.OnceValues(func() (*catalogueBundle, error) { return readCatalogueBundle(name) }))
	}
	return idx, nil
})

// readCatalogueBundle decodes one project bundle. The CRDs stay encoded
// until an object of their kind is validated.
func readCatalogueBundle(name string) (*catalogueBundle, error) {
	var raw struct {
		Versions []struct {
			Version string `json:"version"`
			CRDs    []int  `json:"crds"`
		} `json:"versions"`
		CRDs []json.RawMessage `json:"crds"`
	}
	if err := decodeBundle(schemas.Catalogue, name, &raw, false); err != nil {
		return nil, err
	}
	crds := make([]*catalogueCRD, len(raw.CRDs))
	kinds := make([]groupKind, len(raw.CRDs))
	for i, r := range raw.CRDs {
		gk, err := crdGroupKind(r)
		if err != nil {
			return nil, fmt.Errorf("decode CRD %d of %s: %w", i, name, err)
		}
		crds[i], kinds[i] = &catalogueCRD{raw: r}, gk
	}
	b := &catalogueBundle{versions: map[string]map[groupKind]*catalogueCRD{}}
	for _, v := range raw.Versions {
		m := map[groupKind]*catalogueCRD{}
		for _, at := range v.CRDs {
			if at < 0 || at >= len(crds) {
				return nil, fmt.Errorf("%s: version %s names CRD %d of %d", name, v.Version, at, len(crds))
			}
			m[kinds[at]] = crds[at]
		}
		b.versions[v.Version] = m
	}
	return b, nil
}

// CatalogueProjects returns the projects of the embedded CRD catalogue,
// sorted by name, or nil when it cannot be read.
func CatalogueProjects() []CatalogueProject {
	idx, err := loadCatalogue()
	if err != nil {
		return nil
	}
	out := make([]CatalogueProject, len(idx.projects))
	for i, p := range idx.projects {
		p.Groups, p.Versions, p.Sources = clone(p.Groups), clone(p.Versions), clone(p.Sources)
		out[i] = p
	}
	return out
}

// A catalogueChoice is the catalogue a Validator uses: none when off, else
// each project at its default version or the one versions pins.
type catalogueChoice struct {
	off      bool
	versions map[string]string // project to embedded version
}

// newCatalogueChoice checks the pinned versions against the catalogue: an
// unknown project or version is an error naming the embedded ones.
func newCatalogueChoice(off bool, pinned map[string]string) (catalogueChoice, error) {
	choice := catalogueChoice{off: off, versions: map[string]string{}}
	if len(pinned) == 0 {
		return choice, nil
	}
	idx, err := loadCatalogue()
	if err != nil {
		return choice, fmt.Errorf("load the CRD catalogue: %w", err)
	}
	for name, version := range pinned {
		i := slices.IndexFunc(idx.projects, func(p CatalogueProject) bool { return p.Name == name })
		if i < 0 {
			names := make([]string, len(idx.projects))
			for j, p := range idx.projects {
				names[j] = p.Name
			}
			return choice, fmt.Errorf("catalogueVersions: no project %q in the CRD catalogue: it has %s", name, strings.Join(names, ", "))
		}
		p := idx.projects[i]
		want := version
		if !strings.HasPrefix(want, "v") {
			want = "v" + want
		}
		if !slices.Contains(p.Versions, want) {
			return choice, fmt.Errorf("catalogueVersions: %s %q is not in the CRD catalogue: it has %s", name, version, strings.Join(p.Versions, ", "))
		}
		choice.versions[name] = want
	}
	return choice, nil
}

// catalogueCRD returns the catalogue's CRD of k's group and kind and names
// its project and version ("cert-manager v1.21.2"), or nil when the
// catalogue is off or has no such kind. The version is the one the run
// pins, else the cluster's (ValidateOptions.Catalogue), else the default.
func (v *Validator) catalogueCRD(k gvk, cluster map[string]string) (*CRD, string, error) {
	if v.catalogue.off {
		return nil, "", nil
	}
	idx, err := loadCatalogue()
	if err != nil {
		return nil, "", err
	}
	i, ok := idx.byGroup[k.group]
	if !ok {
		return nil, "", nil
	}
	p := idx.projects[i]
	version, ok := v.catalogue.versions[p.Name]
	if !ok {
		version, ok = cluster[p.Name]
	}
	if !ok || !slices.Contains(p.Versions, version) {
		version = p.Versions[0]
	}
	b, err := idx.loaders[i]()
	if err != nil {
		return nil, "", err
	}
	c, ok := b.versions[version][groupKind{k.group, k.kind}]
	if !ok {
		return nil, "", nil
	}
	crd, err := c.compiled()
	return crd, p.Name + " " + version, err
}
