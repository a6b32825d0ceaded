package helm

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
)

// syncStore is a Store in memory for concurrent use.
type syncStore struct {
	mu    sync.Mutex
	blobs map[string][]byte
}

func (s *syncStore) Get(bucket, key string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.blobs[bucket+"/"+key]
	return b, ok
}

func (s *syncStore) Put(bucket, key string, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blobs[bucket+"/"+key] = data
	return nil
}

// concurrentChart is one of several charts: with a dependency whose
// condition the values decide (Helm prunes the chart's dependencies while
// it renders), CRDs, a hook and tpl.
func concurrentChart(n int) *chart.Chart {
	sub := &chart.Chart{
		Metadata:  &chart.Metadata{APIVersion: "v2", Name: "sub", Version: "1.0.0"},
		Values:    map[string]any{"greeting": "hi"},
		Templates: []*common.File{{Name: "templates/sub.yaml", Data: []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-sub\ndata:\n  g: {{ tpl .Values.greeting . | quote }}\n")}},
	}
	c := &chart.Chart{
		Metadata: &chart.Metadata{APIVersion: "v2", Name: fmt.Sprintf("chart-%d", n), Version: "1.0.0",
			Dependencies: []*chart.Dependency{{Name: "sub", Version: "1.0.0", Condition: "sub.enabled"}}},
		Values: map[string]any{"replicas": 1, "sub": map[string]any{"enabled": true}},
		Templates: []*common.File{
			{Name: "templates/cm.yaml", Data: []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  replicas: {{ .Values.replicas | quote }}\n  widget: {{ .Capabilities.APIVersions.Has \"example.com/v1\" | quote }}\n{{- range until 10 }}\n  k{{ . }}: {{ printf \"%d\" . | sha256sum | quote }}\n{{- end }}\n")},
			{Name: "templates/hook.yaml", Data: []byte("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-test\n  annotations:\n    helm.sh/hook: test\nspec:\n  containers: [{name: t, image: busybox}]\n")},
		},
		Files: []*common.File{{Name: "crds/widget.yaml", Data: []byte("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n")}},
	}
	c.SetDependencies(sub)
	return c
}

// TestTemplateConcurrently templates many releases of several charts at
// once, through one output cache, as a cluster's templaters do: each
// equals the same release templated alone. Run it with -race.
func TestTemplateConcurrently(t *testing.T) {
	ctx := context.Background()
	store := &syncStore{blobs: map[string][]byte{}}
	release := func(i int) Release {
		return Release{
			Chart: concurrentChart(i % 4), Name: fmt.Sprintf("r%d", i), Namespace: "apps", KubeVersion: "1.33",
			Values:      map[string]any{"replicas": i % 3, "sub": map[string]any{"enabled": i%2 == 0}},
			APIVersions: []string{"example.com/v1"}, IncludeCRDs: true, Cache: store, CacheSalt: "test",
		}
	}
	const n = 24
	want := make([][]Manifest, n)
	for i := range n {
		r := release(i)
		r.Cache = nil
		var err error
		if want[i], err = Template(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	for round := range 2 { // the second round comes from the cache
		got := make([][]Manifest, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { got[i], errs[i] = Template(ctx, release(i)) })
		}
		wg.Wait()
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("round %d, release %d: %v", round, i, errs[i])
			}
			if len(got[i]) != len(want[i]) {
				t.Fatalf("round %d, release %d: %d manifests, want %d", round, i, len(got[i]), len(want[i]))
			}
			for j := range got[i] {
				if got[i][j].Template != want[i][j].Template || !reflect.DeepEqual(got[i][j].Content, want[i][j].Content) {
					t.Errorf("round %d, release %d, manifest %d: %+v, want %+v", round, i, j, got[i][j], want[i][j])
				}
			}
		}
	}
}
