// Command chartserve writes a Flux repository whose HelmReleases take their
// charts from chart repositories, and serves those repositories on
// 127.0.0.1 until it is stopped (SIGINT, SIGTERM): K charts of two
// versions each, asked for by semver range and by exact version, and U
// repositories on a host that accepts connections but never answers. It is
// the fixture of bench/chartcache.sh (warm runs with remote charts).
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: {app: {{ .Release.Name }}}
  template:
    metadata:
      labels: {app: {{ .Release.Name }}}
    spec:
      containers:
        - name: app
          image: {{ .Values.image }}
`

func main() {
	out := flag.String("out", "", "folder to write the repository into")
	releases := flag.Int("n", 40, "HelmReleases")
	charts := flag.Int("charts", 10, "charts in the repository")
	unreachable := flag.Int("unreachable", 4, "HelmReleases whose repository host never answers")
	flag.Parse()
	if *out == "" {
		log.Fatal("chartserve: -out is required")
	}
	files := map[string][]byte{}
	var index strings.Builder
	index.WriteString("apiVersion: v1\nentries:\n")
	for i := range *charts {
		name := fmt.Sprintf("app%d", i)
		fmt.Fprintf(&index, "  %s:\n", name)
		for _, v := range []string{"1.1.0", "1.0.0"} {
			data := archive(name, v)
			sum := sha256.Sum256(data)
			files["/"+name+"-"+v+".tgz"] = data
			fmt.Fprintf(&index, "  - apiVersion: v2\n    name: %s\n    version: %s\n    digest: %s\n    created: \"2026-01-01T00:00:00Z\"\n    urls: [%s-%s.tgz]\n",
				name, v, hex.EncodeToString(sum[:]), name, v)
		}
	}
	files["/index.yaml"] = []byte(index.String())
	var requests atomic.Int64
	repoURL := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if data, ok := files[r.URL.Path]; ok {
			_, _ = w.Write(data)
			return
		}
		http.NotFound(w, r)
	}))
	blackhole := silent()
	if err := writeRepo(*out, repoURL, blackhole, *releases, *charts, *unreachable); err != nil {
		log.Fatal(err)
	}
	fmt.Println("ready", repoURL)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	fmt.Fprintf(os.Stderr, "chartserve: %d requests\n", requests.Load())
}

// serve serves h on 127.0.0.1 and returns its URL.
func serve(h http.Handler) string {
	l, err := net.Listen("tcp", "127.0.0.1:0") //nolint:noctx // a program, not a request
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(l) }()
	return "http://" + l.Addr().String()
}

// silent returns the URL of a host that accepts connections and never
// answers, as a firewalled chart host looks.
func silent() string {
	l, err := net.Listen("tcp", "127.0.0.1:0") //nolint:noctx // a program, not a request
	if err != nil {
		log.Fatal(err)
	}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { // read and never answer, until the client gives up
				_, _ = io.Copy(io.Discard, c)
				_ = c.Close()
			}()
		}
	}()
	return "http://" + l.Addr().String()
}

// archive packages a chart of one template.
func archive(name, version string) []byte {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for path, body := range map[string]string{
		"Chart.yaml":                fmt.Sprintf("apiVersion: v2\nname: %s\nversion: %s\n", name, version),
		"values.yaml":               "replicas: 1\nimage: nginx:1.27\n",
		"templates/deployment.yaml": deployment,
	} {
		_ = tw.WriteHeader(&tar.Header{Name: name + "/" + path, Mode: 0o644, Size: int64(len(body)), ModTime: time.Unix(0, 0)})
		_, _ = tw.Write([]byte(body))
	}
	_ = tw.Close()
	_ = gz.Close()
	return buf.Bytes()
}

// writeRepo writes one cluster whose apps Kustomization holds the
// HelmReleases: release i takes chart i%charts by range ("1.x") or, for
// odd i, by exact version; the last `unreachable` ones name repositories
// of the silent host.
func writeRepo(dir, repoURL, blackhole string, n, charts, unreachable int) error {
	files := map[string]string{
		".fluxlint.yaml": "limits:\n  downloadTimeout: 3s\n",
		"clusters/bench/apps.yaml": `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`,
	}
	var kust strings.Builder
	kust.WriteString("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: apps\nresources:\n  - namespace.yaml\n")
	files["apps/namespace.yaml"] = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n"
	for i := range n {
		url, version := repoURL, "1.x"
		if i%2 == 1 {
			version = "1.0.0"
		}
		if i >= n-unreachable {
			url = fmt.Sprintf("%s/r%d", blackhole, i)
		}
		name := fmt.Sprintf("rel%d", i)
		files["apps/"+name+".yaml"] = fmt.Sprintf(`apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: %[1]s
spec:
  interval: 1h
  url: %[2]s
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: %[1]s
spec:
  interval: 1h
  chart:
    spec:
      chart: app%[3]d
      version: %[4]q
      sourceRef:
        kind: HelmRepository
        name: %[1]s
`, name, url, i%charts, version)
		fmt.Fprintf(&kust, "  - %s.yaml\n", name)
	}
	files["apps/kustomization.yaml"] = kust.String()
	for path, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			return err
		}
	}
	return nil
}
