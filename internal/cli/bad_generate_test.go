package cli

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf16"
)

// A badGenerator adds to a bad case what is too big, binary or
// system-dependent to commit (large files, symbolic links, servers), and
// returns more arguments for fluxlint.
type badGenerator func(t *testing.T, repo string) []string

var badGenerators = map[string]badGenerator{
	"big-manifest":   genBigManifest,
	"binary":         genBinary,
	"non-utf8":       genNonUTF8,
	"utf16":          genUTF16,
	"crlf-bom":       genCRLFBOM,
	"many-documents": genManyDocuments,
	"symlink-loop":   genSymlinkLoop,
	"symlink-escape": genSymlinkEscape,
	"slow-repo":      genSlowRepo,
	"garbage-repo":   genGarbageRepo,
	"traversal-repo": genTraversalRepo,
	// The repository configuration's paths (issue 16).
	"config-links":        genConfigLinks,
	"config-file-link":    genConfigFileLink,
	"config-links-inside": genConfigLinksInside,
	"outside-path":        genOutsidePath,
	"fifo":                genFIFO,
	"build-documents":     genBuildDocuments,
	"fifo-config":         genFIFOConfig,
}

func writeBadFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// genBigManifest writes apps/big.yaml: one 50 MB ConfigMap of 50 values of
// 1 MB each, under the default 64 MB file limit.
func genBigManifest(t *testing.T, repo string) []string {
	var b bytes.Buffer
	b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: default\ndata:\n")
	line := strings.Repeat("x", 1<<20)
	for i := range 50 {
		fmt.Fprintf(&b, "  key%d: %s\n", i, line)
	}
	writeBadFile(t, filepath.Join(repo, "apps/big.yaml"), b.Bytes())
	return nil
}

// genBinary writes random bytes, NULs included, as apps/binary.yaml.
func genBinary(t *testing.T, repo string) []string {
	r := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 64<<10)
	for i := range data {
		data[i] = byte(r.UintN(256))
	}
	data[10] = 0
	writeBadFile(t, filepath.Join(repo, "apps/binary.yaml"), data)
	return nil
}

// genNonUTF8 writes a manifest in Latin-1.
func genNonUTF8(t *testing.T, repo string) []string {
	data := []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: latin\n  namespace: default\ndata:\n  city: M\xfcnchen\n")
	writeBadFile(t, filepath.Join(repo, "apps/latin1.yaml"), data)
	return nil
}

// genUTF16 writes a manifest in UTF-16LE with a byte order mark, as some
// Windows editors save files.
func genUTF16(t *testing.T, repo string) []string {
	text := "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: wide\r\n  namespace: default\r\ndata:\r\n  a: b\r\n"
	var b bytes.Buffer
	b.Write([]byte{0xFF, 0xFE})
	for _, u := range utf16.Encode([]rune(text)) {
		_ = binary.Write(&b, binary.LittleEndian, u)
	}
	writeBadFile(t, filepath.Join(repo, "apps/utf16.yaml"), b.Bytes())
	return nil
}

// genCRLFBOM rewrites every file under apps/ with CRLF line ends and a
// UTF-8 byte order mark.
func genCRLFBOM(t *testing.T, repo string) []string {
	files, _ := filepath.Glob(filepath.Join(repo, "apps", "*.yaml"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		data = bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))
		writeBadFile(t, f, append([]byte{0xEF, 0xBB, 0xBF}, data...))
	}
	return nil
}

// genManyDocuments writes 10,000 ConfigMaps into one file.
func genManyDocuments(t *testing.T, repo string) []string {
	var b bytes.Buffer
	for i := range 10000 {
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%d\n  namespace: default\ndata:\n  n: \"%d\"\n", i, i)
	}
	writeBadFile(t, filepath.Join(repo, "apps/many.yaml"), b.Bytes())
	return nil
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
}

// genSymlinkLoop makes links that point at themselves, at each other, and
// folder links back to a parent: walks must not follow them forever.
func genSymlinkLoop(t *testing.T, repo string) []string {
	apps := filepath.Join(repo, "apps")
	symlink(t, "self.yaml", filepath.Join(apps, "self.yaml"))
	symlink(t, "pong.yaml", filepath.Join(apps, "ping.yaml"))
	symlink(t, "ping.yaml", filepath.Join(apps, "pong.yaml"))
	symlink(t, "..", filepath.Join(apps, "sub", "up"))
	symlink(t, "../../clusters", filepath.Join(repo, "clusters", "dev", "loop"))
	return nil
}

// genSymlinkEscape makes links from inside the repository to the outside
// folder: a manifest, a folder, a generator file and a chart.
func genSymlinkEscape(t *testing.T, repo string) []string {
	outside := filepath.Join(filepath.Dir(repo), "outside")
	symlink(t, filepath.Join(outside, "configmap.yaml"), filepath.Join(repo, "apps", "escape.yaml"))
	symlink(t, outside, filepath.Join(repo, "linked"))
	symlink(t, filepath.Join(outside, "secret.txt"), filepath.Join(repo, "apps", "token.txt"))
	symlink(t, filepath.Join(outside, "chart"), filepath.Join(repo, "charts", "linked"))
	symlink(t, filepath.Join(outside, "chart", "templates", "cm.yaml"), filepath.Join(repo, "charts", "app", "templates", "stolen.yaml"))
	symlink(t, filepath.Join(outside, "configmap.yaml"), filepath.Join(repo, "charts", "values-link.yaml"))
	return nil
}

// genConfigLinks makes a link to a file outside the repository in the
// policy folder, and a folder link to the outside folder.
func genConfigLinks(t *testing.T, repo string) []string {
	outside := filepath.Join(filepath.Dir(repo), "outside")
	symlink(t, filepath.Join(outside, "secret.txt"), filepath.Join(repo, "policy", "stolen.rego"))
	symlink(t, outside, filepath.Join(repo, "linked"))
	return nil
}

// genConfigFileLink replaces the repository's .fluxlint.yaml by a link to
// a file outside it.
func genConfigFileLink(t *testing.T, repo string) []string {
	cfg := filepath.Join(repo, ConfigFile)
	if err := os.Remove(cfg); err != nil {
		t.Fatal(err)
	}
	symlink(t, filepath.Join(filepath.Dir(repo), "outside", "configmap.yaml"), cfg)
	return nil
}

// genConfigLinksInside makes links that stay inside the repository: the
// policy folder holds a link to its data file.
func genConfigLinksInside(t *testing.T, repo string) []string {
	symlink(t, "data.yaml", filepath.Join(repo, "policy", "data-link.yaml"))
	return nil
}

// genOutsidePath writes the absolute path of the outside folder where the
// repository says $OUTSIDE.
func genOutsidePath(t *testing.T, repo string) []string {
	replaceInRepo(t, repo, "$OUTSIDE", filepath.Join(filepath.Dir(repo), "outside"))
	return nil
}

// genBuildDocuments writes three files of 900 ConfigMaps each into apps/:
// each is under the 5,000 documents of one file, the build of all three is
// over the 2,000 of one build.
func genBuildDocuments(t *testing.T, repo string) []string {
	for f := range 3 {
		var b bytes.Buffer
		for i := range 900 {
			fmt.Fprintf(&b, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%d-%d\n  namespace: default\n", f, i)
		}
		writeBadFile(t, filepath.Join(repo, fmt.Sprintf("apps/many-%d.yaml", f)), b.Bytes())
	}
	return nil
}

// mkfifo makes a FIFO, and the folders above it.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("FIFOs: %v", err)
	}
}

// genFIFO makes FIFOs wherever fluxlint reads a file: a manifest the Flux
// generator scans, a kustomization resource, a chart template and values
// file, a policy, a data file and a CRD file.
func genFIFO(t *testing.T, repo string) []string {
	for _, name := range []string{
		"apps/fifo.yaml", "kust/fifo-resource.yaml", "charts/app/templates/fifo.yaml",
		"values/fifo.yaml", "policy/fifo.rego", "data/fifo.json", "crds/fifo.yaml",
	} {
		mkfifo(t, filepath.Join(repo, filepath.FromSlash(name)))
	}
	return nil
}

// genFIFOConfig replaces the repository's .fluxlint.yaml by a FIFO.
func genFIFOConfig(t *testing.T, repo string) []string {
	cfg := filepath.Join(repo, ConfigFile)
	_ = os.Remove(cfg)
	mkfifo(t, cfg)
	return nil
}

// replaceInRepo replaces old by new in every regular file of the repository.
func replaceInRepo(t *testing.T, repo, old, replacement string) {
	t.Helper()
	err := filepath.Walk(repo, func(p string, info os.FileInfo, err error) error {
		if err != nil || !info.Mode().IsRegular() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.Contains(data, []byte(old)) {
			return os.WriteFile(p, bytes.ReplaceAll(data, []byte(old), []byte(replacement)), 0o644)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// serve starts a chart server on 127.0.0.1 and writes its URL where the
// repository says $CHARTS.
func serve(t *testing.T, repo string, h http.HandlerFunc) {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	replaceInRepo(t, repo, "$CHARTS", srv.URL)
}

// genSlowRepo serves a chart repository that answers after far longer than
// the download timeout the case's configuration sets.
func genSlowRepo(t *testing.T, repo string) []string {
	release := make(chan struct{})
	serve(t, repo, func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		case <-time.After(time.Minute):
		}
	})
	// Cleanups run last first: let the handlers go before the server
	// closes, as closing waits for them.
	t.Cleanup(func() { close(release) })
	return nil
}

// genGarbageRepo serves random bytes for every path.
func genGarbageRepo(t *testing.T, repo string) []string {
	r := rand.New(rand.NewPCG(3, 4))
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(r.UintN(256))
	}
	serve(t, repo, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(garbage)
	})
	return nil
}

// traversalChart is a chart archive with an entry that climbs out of the
// chart folder, and one with an absolute path.
func traversalChart(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: evil\ndata:\n  a: " + outsideMarker + "\n"
	for _, f := range []struct{ name, body string }{
		{"demo/Chart.yaml", "apiVersion: v2\nname: demo\nversion: 1.0.0\n"},
		{"demo/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n"},
		{"demo/../../../evil.yaml", cm},
		{"/tmp/fluxlint-evil.yaml", cm},
	} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// genTraversalRepo serves a chart repository whose one chart archive has
// path-traversal entries.
func genTraversalRepo(t *testing.T, repo string) []string {
	archive := traversalChart(t)
	sum := sha256.Sum256(archive)
	var url string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/index.yaml":
			fmt.Fprintf(w, "apiVersion: v1\nentries:\n  demo:\n    - name: demo\n      version: 1.0.0\n      apiVersion: v2\n      digest: %s\n      urls: [%s/demo-1.0.0.tgz]\n", hex.EncodeToString(sum[:]), url)
		case "/demo-1.0.0.tgz":
			_, _ = w.Write(archive)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	url = srv.URL
	replaceInRepo(t, repo, "$CHARTS", srv.URL)
	return nil
}
