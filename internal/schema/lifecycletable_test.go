package schema

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"testing"
)

var update = flag.Bool("update", false, "rewrite lifecycles.json from the embedded bundles")

// writeTable writes the lifecycle table of the embedded bundles, one kind
// a line.
func writeTable(t *testing.T) []byte {
	t.Helper()
	hash, err := bundlesHash()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString(`{"bundles": "` + hash + `", "lifecycles": {`)
	for i, v := range Versions() {
		l, err := bundleLifecycle(v)
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			b.WriteString(",")
		}
		rec := l.record()
		b.WriteString("\n" + jsonOf(t, v) + `: {"removal": [`)
		writeEntries(t, &b, rec.Removal)
		b.WriteString(`], "removedIn": [`)
		writeEntries(t, &b, rec.RemovedIn)
		b.WriteString("]}")
	}
	b.WriteString("\n}}\n")
	return b.Bytes()
}

func writeEntries(t *testing.T, b *bytes.Buffer, entries []tableEntry) {
	t.Helper()
	for i, e := range entries {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  " + jsonOf(t, e))
	}
	if len(entries) > 0 {
		b.WriteString("\n")
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestLifecycleTable checks that the embedded table is the one the
// embedded bundles give, and that each version's lifecycle from the
// table equals the one compared from the bundles.
func TestLifecycleTable(t *testing.T) {
	want := writeTable(t)
	if *update {
		if err := os.WriteFile("lifecycles.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(lifecycleTable, want) {
		t.Fatal("lifecycles.json does not match the embedded bundles: go test ./internal/schema -run TestLifecycleTable -update")
	}
	for _, v := range Versions() {
		fromBundles, err := bundleLifecycle(v)
		if err != nil {
			t.Fatal(err)
		}
		fromTable, ok := tableLifecycle(lifecycleTable, v)
		if !ok {
			t.Fatalf("the table lacks Kubernetes %s", v)
		}
		if !reflect.DeepEqual(fromTable, fromBundles) {
			t.Errorf("Kubernetes %s: the table's lifecycle differs from the bundles'", v)
		}
		if len(fromTable.removal)+len(fromTable.removedIn) == 0 && v != Versions()[0] {
			t.Errorf("Kubernetes %s: an empty lifecycle", v)
		}
	}
}

// TestLifecycleWithoutTable checks that a version the table lacks, or a
// table that does not decode, gives no lifecycle from the table, and that
// newLifecycle then compares the bundles.
func TestLifecycleWithoutTable(t *testing.T) {
	latest := Versions()[len(Versions())-1]
	fromTable, ok := tableLifecycle(lifecycleTable, latest)
	if !ok {
		t.Fatal("the table lacks the latest version")
	}
	other := bytes.Replace(lifecycleTable, []byte(`"bundles": "`), []byte(`"bundles": "0`), 1)
	if _, ok := tableLifecycle(other, latest); ok {
		t.Error("a table made from other bundles gave a lifecycle")
	}
	for _, table := range []string{`{}`, `{"lifecycles": {"` + latest + `": `, `[]`} {
		if _, ok := tableLifecycle([]byte(table), latest); ok {
			t.Errorf("table %q gave a lifecycle", table)
		}
	}
	if _, ok := tableLifecycle(lifecycleTable, "1.2"); ok {
		t.Error("Kubernetes 1.2 has a lifecycle in the table")
	}
	if l, err := newLifecycle(latest); err != nil || !reflect.DeepEqual(l, fromTable) {
		t.Errorf("Kubernetes %s: not the table's lifecycle: %v", latest, err)
	}
	l, err := newLifecycle("1.2")
	if err != nil || len(l.removal)+len(l.removedIn) != 0 {
		t.Errorf("Kubernetes 1.2: %v, %v", l, err)
	}
}
