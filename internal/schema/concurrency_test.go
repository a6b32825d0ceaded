package schema

import (
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentValidate runs valid and invalid objects of several kinds
// from many goroutines on one fresh Validator, so that lazy compilation
// races with validation; run it with -race.
func TestConcurrentValidate(t *testing.T) {
	v, err := New("1.36")
	if err != nil {
		t.Fatal(err)
	}
	objs := []struct {
		doc        string
		path       []string
		value      any
		wantStatus Status
	}{
		{doc: deployment, wantStatus: Valid},
		{doc: deployment, path: []string{"spec", "replica"}, value: 1, wantStatus: Invalid},
		{doc: kustomization, wantStatus: Valid},
		{doc: helmRelease, path: []string{"spec", "chart", "spec", "chart"}, value: 7, wantStatus: Invalid},
		{doc: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n", wantStatus: Valid},
	}
	const goroutines = 8
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*len(objs))
	for g := range goroutines {
		wg.Go(func() {
			for i := range objs {
				o := objs[(i+g)%len(objs)]
				obj := decode(t, o.doc)
				if o.path != nil {
					obj = set(t, o.doc, o.path, o.value)
				}
				if res := v.Validate(obj); res.Status != o.wantStatus {
					errs <- fmt.Errorf("object %d: status %v, want %v", (i+g)%len(objs), res.Status, o.wantStatus)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func BenchmarkValidateDeployment(b *testing.B) {
	v := validator(b, "")
	obj := decode(b, deployment)
	if res := v.Validate(obj); res.Status != Valid {
		b.Fatalf("status %v", res.Status)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		v.Validate(obj)
	}
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := New(""); err != nil {
			b.Fatal(err)
		}
	}
}
