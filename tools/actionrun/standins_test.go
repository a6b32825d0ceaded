package actionrun

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// cacheStore stands in for GitHub's cache service behind actions/cache:
// entries by key, restored by exact key, else by the newest entry whose key
// starts with a restore key; an existing key is never saved again.
type cacheStore struct {
	dir     string
	entries []cacheEntry
}

type cacheEntry struct {
	key, dir string
}

func (s *cacheStore) keys() []string {
	var keys []string
	for _, e := range s.entries {
		keys = append(keys, e.key)
	}
	return keys
}

func (s *cacheStore) find(match func(string) bool) *cacheEntry {
	for i := len(s.entries) - 1; i >= 0; i-- {
		if match(s.entries[i].key) {
			return &s.entries[i]
		}
	}
	return nil
}

// restore is actions/cache/restore.
func (s *cacheStore) restore(with map[string]string) (map[string]string, error) {
	path, key := with["path"], with["key"]
	if path == "" || key == "" {
		return nil, fmt.Errorf("restore: path %q and key %q are required", path, key)
	}
	out := map[string]string{"cache-primary-key": key, "cache-hit": ""}
	e, exact := s.find(func(k string) bool { return k == key }), true
	for _, prefix := range strings.Split(with["restore-keys"], "\n") {
		if e != nil {
			break
		}
		if prefix = strings.TrimSpace(prefix); prefix != "" {
			e, exact = s.find(func(k string) bool { return strings.HasPrefix(k, prefix) }), false
		}
	}
	if e == nil {
		return out, nil
	}
	if err := os.CopyFS(path, os.DirFS(e.dir)); err != nil {
		return nil, fmt.Errorf("restore %s: %w", e.key, err)
	}
	out["cache-hit"], out["cache-matched-key"] = fmt.Sprint(exact), e.key
	return out, nil
}

// save is actions/cache/save: a key that exists or a path that does not
// is a warning, as on GitHub, not a failure.
func (s *cacheStore) save(with map[string]string) (map[string]string, error) {
	path, key := with["path"], with["key"]
	if s.find(func(k string) bool { return k == key }) != nil {
		return nil, nil
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil // GitHub warns that the path does not exist and saves nothing
	} else if err != nil {
		return nil, fmt.Errorf("save %s: %w", key, err)
	}
	dir := filepath.Join(s.dir, fmt.Sprint(len(s.entries)))
	if err := os.CopyFS(dir, os.DirFS(path)); err != nil {
		return nil, fmt.Errorf("save %s: %w", key, err)
	}
	s.entries = append(s.entries, cacheEntry{key: key, dir: dir})
	return nil, nil
}

// upload records what github/codeql-action/upload-sarif was given, and
// fails as it would on a file that is not SARIF 2.1.0.
type upload struct {
	category string
	results  int
}

type sarifUploads struct{ done []upload }

func (u *sarifUploads) upload(with map[string]string) (map[string]string, error) {
	data, err := os.ReadFile(with["sarif_file"])
	if err != nil {
		return nil, fmt.Errorf("upload-sarif: %w", err)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		return nil, fmt.Errorf("upload-sarif: %s: %w", with["sarif_file"], err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		return nil, fmt.Errorf("upload-sarif: %s is not a SARIF 2.1.0 log of one run", with["sarif_file"])
	}
	u.done = append(u.done, upload{category: with["category"], results: len(log.Runs[0].Results)})
	return nil, nil
}

// releaseServer stands in for GitHub's release downloads:
// /releases/download/VERSION/FILE and /releases/latest, which redirects
// to /releases/tag/LATEST.
type releaseServer struct {
	*httptest.Server
	mu       sync.Mutex
	files    map[string][]byte // by VERSION/FILE
	latest   string
	requests []string
}

func newReleaseServer(t *testing.T) *releaseServer {
	s := &releaseServer{files: map[string][]byte{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *releaseServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r.URL.Path)
	switch {
	case r.URL.Path == "/releases/latest" && s.latest != "":
		http.Redirect(w, r, "/releases/tag/"+s.latest, http.StatusFound)
	case strings.HasPrefix(r.URL.Path, "/releases/tag/"):
		_, _ = w.Write([]byte("release page"))
	case strings.HasPrefix(r.URL.Path, "/releases/download/"):
		data, ok := s.files[strings.TrimPrefix(r.URL.Path, "/releases/download/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(data)
	default:
		http.NotFound(w, r)
	}
}

func (s *releaseServer) downloads() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// publish serves archives (by file name) as release version, with their
// checksums.txt.
func (s *releaseServer) publish(version string, archives map[string][]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var sums []string
	for name, data := range archives {
		s.files[version+"/"+name] = data
		sum := sha256.Sum256(data)
		sums = append(sums, hex.EncodeToString(sum[:])+"  "+name)
	}
	slices.Sort(sums)
	s.files[version+"/checksums.txt"] = []byte(strings.Join(sums, "\n") + "\n")
	s.latest = version
}

// stubFluxlint is a fluxlint that records its arguments in
// $FLUXLINT_STUB_LOG, keeps a count of its checks in its cache folder
// ($XDG_CACHE_HOME/fluxlint) and prints how many it found there, writes an
// empty SARIF log where --format sarif=FILE asks, and exits
// $FLUXLINT_STUB_EXIT.
const stubFluxlint = `#!/usr/bin/env bash
echo "$*" >> "$FLUXLINT_STUB_LOG"
dir="$XDG_CACHE_HOME/fluxlint"
case "$1 $2" in
  "version "*) printf 'fluxlint  %s\ncommit    stub\n' "${FLUXLINT_STUB_VERSION:-v0.1.0}" ;;
  "cache dir") echo "$dir" ;;
  "cache prune") ;;
  "check "*)
    while [ $# -gt 0 ]; do
      case "$1" in --format) case "$2" in sarif=*) echo '{"version":"2.1.0","runs":[{"results":[]}]}' > "${2#sarif=}" ;; esac ;; esac
      shift
    done
    mkdir -p "$dir"
    echo "stub: the cache held $(cat "$dir"/runs 2>/dev/null | wc -l) runs"
    echo run >> "$dir/runs"
    echo "::error file=apps/service.yaml,line=9,col=7,title=schema-invalid::stub finding"
    exit "${FLUXLINT_STUB_EXIT:-0}" ;;
  *) echo "stub: unexpected arguments $*" >&2; exit 2 ;;
esac
`

// tarGz returns a .tar.gz holding the files by name, mode 0755.
func tarGz(t *testing.T, files map[string]string) []byte {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		body := files[name]
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(body))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := errors.Join(tw.Close(), gz.Close()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipped returns a .zip holding the files by name, mode 0755.
func zipped(t *testing.T, files map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(0o755)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
