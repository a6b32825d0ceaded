// Command benchreal serves stand-in charts for the real-repository benchmark
// (bench/real.sh). Given copies of Flux repositories, it finds their
// HelmRepositories, OCIRepositories and the charts their HelmReleases ask
// for, starts a chart server on 127.0.0.1 (an OCI registry and HTTP chart
// repositories on one port, plain HTTP and TLS alike), pushes a small
// stand-in chart of each name and version asked for (a Deployment per
// controller, a Service and a ConfigMap of the values, named after the
// release), and rewrites the copies' source URLs to that server. It then
// serves until it is interrupted.
//
// The copies are rewritten in place: never point it at a repository that
// is not a throw-away copy.
//
// Usage: go -C tools run ./benchreal -ready FILE -cert FILE COPY...
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"helm.sh/helm/v4/pkg/registry"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on (loopback)")
	ready := flag.String("ready", "", "file to write host:port into once the server is ready")
	cert := flag.String("cert", "", "file to write the server's self-signed certificate into (PEM, for SSL_CERT_FILE)")
	delay := flag.Duration("delay", 0, "delay added to every request, to mimic a distant registry")
	flag.Parse()
	if err := run(*addr, *ready, *cert, *delay, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "benchreal:", err)
		os.Exit(2)
	}
}

func run(addr, ready, cert string, delay time.Duration, roots []string) error {
	if len(roots) == 0 {
		return fmt.Errorf("give the repository copies to serve charts for")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := newServer(ctx, addr, delay)
	if err != nil {
		return err
	}
	p, err := setup(srv, roots)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "benchreal: %s: %d sources, %d charts (%d OCI, %d HTTP), %d URLs rewritten\n",
		srv.Host(), p.sources, p.oci+p.http, p.oci, p.http, p.rewritten)
	for _, w := range p.warnings {
		fmt.Fprintln(os.Stderr, "benchreal:", w)
	}
	if cert != "" {
		if err := os.WriteFile(cert, srv.CertPEM, 0o600); err != nil {
			return err
		}
	}
	if ready != "" {
		if err := os.WriteFile(ready, []byte(srv.Host()+"\n"), 0o600); err != nil {
			return err
		}
	}
	<-ctx.Done()
	fmt.Fprintf(os.Stderr, "benchreal: %d requests served\n", srv.requests.Load())
	return nil
}

// A plan is what setup did.
type plan struct {
	sources, oci, http, rewritten int
	warnings                      []string
	// tmp is a folder for packaging charts.
	tmp string
}

// setup scans the copies, fills the server and rewrites the copies' URLs.
func setup(srv *server, roots []string) (*plan, error) {
	s, err := scanRepos(roots)
	if err != nil {
		return nil, err
	}
	client, err := registry.NewClient(registry.ClientOptPlainHTTP(), registry.ClientOptWriter(io.Discard))
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "benchreal-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	p := &plan{sources: len(s.Sources), tmp: tmp}
	pushed := map[string]bool{}
	push := func(repoPath, name, version string) error {
		ref := fmt.Sprintf("%s/%s:%s", srv.Host(), repoPath, strings.ReplaceAll(version, "+", "_"))
		if pushed[ref] {
			return nil
		}
		pushed[ref] = true
		data, err := packageChart(name, version, tmp)
		if err != nil {
			return err
		}
		if _, err := client.Push(data, ref, registry.PushOptStrictMode(false)); err != nil {
			return fmt.Errorf("push %s: %w", ref, err)
		}
		p.oci++
		return nil
	}
	urls := map[string]string{}
	for _, src := range s.Sources {
		path := trimScheme(src.URL)
		if src.OCI {
			urls[strings.TrimSuffix(src.URL, "/")] = "oci://" + srv.Host() + "/" + path
		} else {
			urls[strings.TrimSuffix(src.URL, "/")] = "http://" + srv.Host() + "/helm/" + path
		}
		if err := fill(src, path, s.Wants, srv, push, p); err != nil {
			return nil, err
		}
	}
	p.rewritten, err = rewriteURLs(s.Files, urls)
	return p, err
}

// fill pushes or adds the charts one source serves.
func fill(src source, path string, wants []chartWant, srv *server, push func(repoPath, name, version string) error, p *plan) error {
	if src.Kind == "OCIRepository" {
		version := src.Tag
		if version == "" {
			v, err := pickVersion(src.SemVer)
			if err != nil {
				p.warnings = append(p.warnings, fmt.Sprintf("%s/%s: %v", src.Kind, src.Name, err))
				return nil
			}
			version = v
		}
		return push(path, path[strings.LastIndex(path, "/")+1:], version)
	}
	for _, w := range wants {
		if w.Root != src.Root || w.Repo != src.Kind+"/"+src.Name || w.Chart == "" {
			continue
		}
		version, err := pickVersion(w.Version)
		if err != nil {
			p.warnings = append(p.warnings, fmt.Sprintf("chart %s of %s/%s: %v", w.Chart, src.Kind, src.Name, err))
			continue
		}
		if src.OCI {
			if err := push(path+"/"+w.Chart, w.Chart, version); err != nil {
				return err
			}
			continue
		}
		data, err := packageChart(w.Chart, version, p.tmp)
		if err != nil {
			return err
		}
		added, err := srv.helm.add(path, w.Chart, version, data)
		if err != nil {
			return err
		}
		if added {
			p.http++
		}
	}
	return nil
}
