package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/fluxlint/fluxlint/internal/safefile"
)

// kubeconformLayout is appended to a location that does not name a .json
// file, as kubeconform does.
const kubeconformLayout = "/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"

// locations finds JSON schemas in kubeconform-style schema locations:
// folders, or Go templates of a file path or URL with the fields
// NormalizedKubernetesVersion, StrictSuffix ("-strict"), ResourceKind
// (lower case), ResourceAPIVersion, Group and KindSuffix.
type locations struct {
	templates   []*template.Template
	kubeVersion string
	client      *http.Client

	mu    sync.Mutex
	cache map[string]*locatedSchema // by rendered path or URL
}

type locatedSchema struct {
	once   sync.Once
	schema *jsonschema.Schema // nil when there is none at this path
	err    error
}

func newLocations(locs []string, kubeVersion string, offline bool) (*locations, error) {
	l := &locations{kubeVersion: kubeVersion, cache: map[string]*locatedSchema{},
		client: &http.Client{Timeout: 30 * time.Second}}
	for _, loc := range locs {
		if !strings.HasSuffix(loc, "json") {
			loc = strings.TrimSuffix(loc, "/") + kubeconformLayout
		}
		if isURL(loc) && offline {
			continue
		}
		t, err := template.New("schema-location").Option("missingkey=error").Parse(loc)
		if err != nil {
			return nil, fmt.Errorf("schema location %q: %w", loc, err)
		}
		l.templates = append(l.templates, t)
	}
	return l, nil
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// templateData fills a location template for one kind.
type templateData struct {
	NormalizedKubernetesVersion string
	StrictSuffix                string
	ResourceKind                string
	ResourceAPIVersion          string
	Group                       string
	KindSuffix                  string
}

func (l *locations) data(k gvk) templateData {
	suffix := "-"
	if k.group != "" {
		suffix += strings.ToLower(strings.Split(k.group, ".")[0]) + "-"
	}
	return templateData{
		NormalizedKubernetesVersion: "v" + l.kubeVersion + ".0",
		StrictSuffix:                "-strict",
		ResourceKind:                strings.ToLower(k.kind),
		ResourceAPIVersion:          k.version,
		Group:                       k.group,
		KindSuffix:                  suffix + strings.ToLower(k.version),
	}
}

// lookup returns the schema of k from the first location that has one.
func (l *locations) lookup(ctx context.Context, k gvk) (*jsonschema.Schema, error) {
	if l == nil {
		return nil, nil
	}
	if !safeForPath(k.kind, k.version, k.group) {
		// A kind, version or group of a repository object that would
		// name another folder has no schema in any location.
		return nil, nil
	}
	for _, t := range l.templates {
		var b bytes.Buffer
		if err := t.Execute(&b, l.data(k)); err != nil {
			return nil, fmt.Errorf("schema location: %w", err)
		}
		sch, err := l.load(ctx, b.String())
		if sch != nil || err != nil {
			return sch, err
		}
	}
	return nil, nil
}

// safeForPath reports whether names may fill a path template: no name may
// hold a path separator or be "..".
func safeForPath(names ...string) bool {
	for _, n := range names {
		if strings.ContainsAny(n, `/\`) || n == ".." || strings.Contains(n, "..") {
			return false
		}
	}
	return true
}

// load reads and compiles the schema at path once; a missing file is no
// error.
func (l *locations) load(ctx context.Context, path string) (*jsonschema.Schema, error) {
	l.mu.Lock()
	e, ok := l.cache[path]
	if !ok {
		e = &locatedSchema{}
		l.cache[path] = e
	}
	l.mu.Unlock()
	e.once.Do(func() {
		data, err := l.read(ctx, path)
		if err != nil || data == nil {
			e.err = err
			return
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			e.err = fmt.Errorf("schema %s: %w", path, err)
			return
		}
		c := jsonschema.NewCompiler()
		if err := c.AddResource(path, doc); err != nil {
			e.err = fmt.Errorf("schema %s: %w", path, err)
			return
		}
		if e.schema, err = c.Compile(path); err != nil {
			e.err = fmt.Errorf("schema %s: %w", path, err)
		}
	})
	return e.schema, e.err
}

// read returns the content at path, or nil when there is none.
func (l *locations) read(ctx context.Context, path string) ([]byte, error) {
	if !isURL(path) {
		data, err := safefile.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return data, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download schema: %w", err)
	}
	defer func() { _ = resp.Body.Close() }() // read-only
	if resp.StatusCode == http.StatusNotFound {
		return nil, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download schema %s: %s", path, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("download schema %s: %w", path, err)
	}
	if !json.Valid(data) {
		return nil, fmt.Errorf("schema %s is not JSON", path)
	}
	return data, nil
}
