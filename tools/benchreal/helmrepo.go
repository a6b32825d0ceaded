package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"path"
	"strings"
	"sync"

	chart "helm.sh/helm/v4/pkg/chart/v2"
	repo "helm.sh/helm/v4/pkg/repo/v1"
	"sigs.k8s.io/yaml"
)

// helmRepos serves HTTP chart repositories under /helm/<host>/<path>/: an
// index.yaml and the archives it lists by relative URL.
type helmRepos struct {
	mu      sync.Mutex
	indexes map[string]*repo.IndexFile
	files   map[string][]byte
}

func newHelmRepos() *helmRepos {
	return &helmRepos{indexes: map[string]*repo.IndexFile{}, files: map[string][]byte{}}
}

// add puts a chart archive into the repository at dir (host/path) and
// reports whether it was not there yet.
func (h *helmRepos) add(dir, name, version string, archive []byte) (bool, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	idx := h.indexes[dir]
	if idx == nil {
		idx = repo.NewIndexFile()
		h.indexes[dir] = idx
	}
	if idx.Has(name, version) {
		return false, nil
	}
	file := fmt.Sprintf("%s-%s.tgz", name, version)
	sum := sha256.Sum256(archive)
	md := &chart.Metadata{APIVersion: chart.APIVersionV2, Name: name, Version: version, AppVersion: version, Type: "application"}
	if err := idx.MustAdd(md, file, "", hex.EncodeToString(sum[:])); err != nil {
		return false, err
	}
	idx.SortEntries()
	data, err := yaml.Marshal(idx)
	if err != nil {
		return false, err
	}
	h.files[path.Join(dir, "index.yaml")] = data
	h.files[path.Join(dir, file)] = archive
	return true, nil
}

// ServeHTTP answers GET /helm/<file>.
func (h *helmRepos) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	data, ok := h.files[strings.TrimPrefix(r.URL.Path, "/helm/")]
	h.mu.Unlock()
	if !ok || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		http.NotFound(w, r)
		return
	}
	if strings.HasSuffix(r.URL.Path, ".yaml") {
		w.Header().Set("Content-Type", "application/x-yaml")
	} else {
		w.Header().Set("Content-Type", "application/gzip")
	}
	_, _ = w.Write(data)
}
