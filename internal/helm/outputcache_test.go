package helm

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"

	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
)

// memStore is a Store in memory that counts what it is asked.
type memStore struct {
	blobs      map[string][]byte
	hits, puts int
}

func (m *memStore) Get(bucket, key string) ([]byte, bool) {
	b, ok := m.blobs[bucket+"/"+key]
	if ok {
		m.hits++
	}
	return b, ok
}

func (m *memStore) Put(bucket, key string, data []byte) error {
	m.puts++
	m.blobs[bucket+"/"+key] = data
	return nil
}

func cacheChart(image string) *chart.Chart {
	return &chart.Chart{
		Metadata: &chart.Metadata{APIVersion: "v2", Name: "demo", Version: "1.0.0"},
		Values:   map[string]any{"replicas": 1},
		Templates: []*common.File{
			{Name: "templates/cm.yaml", Data: []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  image: " + image + "\n  replicas: {{ .Values.replicas | quote }}\n")},
			{Name: "templates/hook.yaml", Data: []byte("apiVersion: v1\nkind: Pod\nmetadata:\n  name: test\n  annotations:\n    helm.sh/hook: test\nspec:\n  containers: [{name: t, image: busybox}]\n")},
		},
	}
}

// TestOutputCache checks that a render with the same inputs comes from the
// cache and equals a fresh render, hooks included, and that a change of
// any input (a template, the values, the API versions, the build) renders
// again.
func TestOutputCache(t *testing.T) {
	ctx := context.Background()
	store := &memStore{blobs: map[string][]byte{}}
	base := Release{Chart: cacheChart("nginx"), Name: "web", Namespace: "apps", KubeVersion: "1.37", Values: map[string]any{"replicas": 2}, CacheSalt: "build-1"}
	fresh, err := Template(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	if len(fresh) != 2 || fresh[1].Template != "demo/templates/hook.yaml" {
		t.Fatalf("fresh render = %+v, want the ConfigMap and the hook", fresh)
	}
	cached := base
	cached.Cache = store
	first, err := Template(ctx, cached)
	if err != nil {
		t.Fatal(err)
	}
	second, err := Template(ctx, cached)
	if err != nil {
		t.Fatal(err)
	}
	if store.puts != 1 || store.hits != 1 {
		t.Fatalf("puts %d hits %d, want one render stored and one served from the cache", store.puts, store.hits)
	}
	if !reflect.DeepEqual(first, fresh) || !reflect.DeepEqual(second, fresh) {
		t.Fatalf("cached render differs from a fresh one:\n%+v\n%+v", second, fresh)
	}
	changes := map[string]func(r *Release){
		"template": func(r *Release) { r.Chart = cacheChart("httpd") },
		"values":   func(r *Release) { r.Values = map[string]any{"replicas": 3} },
		"apis":     func(r *Release) { r.APIVersions = []string{"example.io/v1"} },
		"build":    func(r *Release) { r.CacheSalt = "build-2" },
		"name":     func(r *Release) { r.Name = "other" },
	}
	for name, change := range changes {
		r := cached
		change(&r)
		puts := store.puts
		if _, err := Template(ctx, r); err != nil {
			t.Fatal(err)
		}
		if store.puts != puts+1 {
			t.Errorf("a change of %s was served from the cache", name)
		}
	}
}

// TestOutputCacheKeepsNoFailure checks that a failed render is not cached.
func TestOutputCacheKeepsNoFailure(t *testing.T) {
	store := &memStore{blobs: map[string][]byte{}}
	ch := cacheChart("nginx")
	ch.Templates = append(ch.Templates, &common.File{Name: "templates/fail.yaml", Data: []byte(`{{ fail "no" }}`)})
	r := Release{Chart: ch, Name: "web", Namespace: "apps", KubeVersion: "1.37", Cache: store}
	for range 2 {
		if _, err := Template(context.Background(), r); err == nil {
			t.Fatal("want the chart's failure")
		}
	}
	if store.puts != 0 || store.hits != 0 {
		t.Fatalf("puts %d hits %d, want nothing cached", store.puts, store.hits)
	}
}

// TestOutputCacheSealsSecrets checks that the output of a release whose
// values come from Secrets is kept encrypted, still served from the
// cache, and rendered again when the secrets are not those it was sealed
// with.
func TestOutputCacheSealsSecrets(t *testing.T) {
	ctx := context.Background()
	store := &memStore{blobs: map[string][]byte{}}
	r := Release{Chart: cacheChart("s3cr3t-image-pass"), Name: "web", Namespace: "apps", KubeVersion: "1.37",
		Cache: store, CacheSalt: "build-1", Secrets: []string{"s3cr3t-image-pass"}}
	first, err := Template(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	for k, blob := range store.blobs {
		if bytes.Contains(blob, []byte("s3cr3t")) {
			t.Fatalf("cache entry %s holds the secret in plain text", k)
		}
	}
	second, err := Template(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if store.hits != 1 || !reflect.DeepEqual(first, second) {
		t.Fatalf("hits %d, same output %v: want the sealed output served", store.hits, reflect.DeepEqual(first, second))
	}
	for k, blob := range store.blobs {
		if _, err := unseal(blob, "build-1", []string{"other"}); err == nil {
			t.Fatalf("cache entry %s opens with other secrets", k)
		}
	}
}

// TestTemplatesThatGrowWithoutBound checks that a template that doubles a
// string or a list, or asks for a huge range or repeat, fails fast with a
// message instead of taking all memory, and that ordinary uses pass.
func TestTemplatesThatGrowWithoutBound(t *testing.T) {
	for name, tpl := range map[string]string{
		"print":  `{{- $s := "x" }}{{ range $i := until 64 }}{{ $s = print $s $s }}{{ end }}{{ $s }}`,
		"printf": `{{- $s := "x" }}{{ range $i := until 64 }}{{ $s = printf "%s%s" $s $s }}{{ end }}{{ $s }}`,
		"cat":    `{{- $s := "x" }}{{ range $i := until 64 }}{{ $s = cat $s $s }}{{ end }}{{ $s }}`,
		"concat": `{{- $l := list 1 }}{{ range $i := until 64 }}{{ $l = concat $l $l }}{{ end }}{{ len $l }}`,
		"until":  `{{ len (until 1000000000) }}`,
		"repeat": `{{ repeat 1000000000 "abc" | len }}`,
	} {
		t.Run(name, func(t *testing.T) {
			ch := cacheChart("nginx")
			ch.Templates = append(ch.Templates, &common.File{Name: "templates/grow.yaml", Data: []byte("a: " + tpl + "\n")})
			_, err := Template(context.Background(), Release{Chart: ch, Name: "web", Namespace: "apps", KubeVersion: "1.37"})
			if err == nil || !strings.Contains(err.Error(), "grows without bound") {
				t.Fatalf("err = %v, want a template that grows without bound", err)
			}
		})
	}
	ch := cacheChart("nginx")
	ch.Templates = append(ch.Templates, &common.File{Name: "templates/ok.yaml",
		Data: []byte(`b: {{ print "a" "b" }}{{ printf "%d" 3 }}{{ cat "x" "y" }}{{ repeat 3 "z" }}{{ len (until 5) }}{{ len (untilStep 10 0 -2) }}{{ join "," (list 1 2) }}` + "\n")})
	out, err := Template(context.Background(), Release{Chart: ch, Name: "web", Namespace: "apps", KubeVersion: "1.37"})
	if err != nil {
		t.Fatal(err)
	}
	var b any
	for _, m := range out {
		if v, ok := m.Content["b"]; ok {
			b = v
		}
	}
	if b != "ab3x yzzz551,2" {
		t.Fatalf("b = %#v, want the functions' usual results", b)
	}
}

// TestOutputCacheGivesTheSameValues checks that manifests served from the
// cache are those of a fresh render, value for value: numbers large and
// small, HTML characters, nulls, lists and text.
func TestOutputCacheGivesTheSameValues(t *testing.T) {
	ctx := context.Background()
	ch := cacheChart("nginx")
	ch.Templates = append(ch.Templates, &common.File{Name: "templates/values.yaml", Data: []byte(
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: values\n  annotations:\n    a: \"<b>&amp;</b>\"\n" +
			"spec:\n  big: 9223372036854775807\n  small: 0.000001\n  neg: -12\n  exp: 1e21\n  none: null\n  yes: true\n  list: [1, \"2\", {k: v}]\n" +
			"  text: |\n    two\n    lines\n---\n# an empty document\n")})
	fresh, err := Template(ctx, Release{Chart: ch, Name: "web", Namespace: "apps", KubeVersion: "1.37"})
	if err != nil {
		t.Fatal(err)
	}
	store := &memStore{blobs: map[string][]byte{}}
	r := Release{Chart: ch, Name: "web", Namespace: "apps", KubeVersion: "1.37", Cache: store, CacheSalt: "b"}
	if _, err := Template(ctx, r); err != nil {
		t.Fatal(err)
	}
	cached, err := Template(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if store.hits != 1 {
		t.Fatalf("hits %d, want the second render served from the cache", store.hits)
	}
	if len(fresh) != 3 || !reflect.DeepEqual(cached, fresh) {
		t.Fatalf("cached manifests differ from fresh ones:\n%#v\n%#v", cached, fresh)
	}
}

// TestOutputCacheIgnoresDamagedRecords checks that a helm-output record
// that does not decode, or decodes to a manifest without content, is a
// miss: the chart is rendered again and the record replaced.
func TestOutputCacheIgnoresDamagedRecords(t *testing.T) {
	ctx := context.Background()
	store := &memStore{blobs: map[string][]byte{}}
	r := Release{Chart: cacheChart("nginx"), Name: "web", Namespace: "apps", KubeVersion: "1.37", Cache: store, CacheSalt: "b"}
	fresh, err := Template(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	key, err := outputKey(r)
	if err != nil {
		t.Fatal(err)
	}
	for name, record := range map[string][]byte{
		"not JSON":      []byte("apiVersion: v1\nkind: ConfigMap\n"),
		"no content":    []byte(`[{"template":"demo/templates/cm.yaml","content":{},"text":"x"}]`),
		"wrong shape":   []byte(`{"template":"x"}`),
		"wrong content": []byte(`[{"content":"ConfigMap"}]`),
	} {
		outputs(r).Keep(key, record)
		puts := store.puts
		got, err := Template(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if store.puts != puts+1 || !reflect.DeepEqual(got, fresh) {
			t.Errorf("%s: puts %d→%d, same as fresh %v: want the chart rendered again and kept", name, puts, store.puts, reflect.DeepEqual(got, fresh))
		}
	}
	store.blobs["helm-output-v2/"+key] = []byte("not gob")
	puts := store.puts
	if got, err := Template(ctx, r); err != nil || store.puts != puts+1 || !reflect.DeepEqual(got, fresh) {
		t.Errorf("a record that is not gob: err %v, puts %d→%d: want the chart rendered again", err, puts, store.puts)
	}
}
