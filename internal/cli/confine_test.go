package cli

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestConfigKeysClassified keeps every key of Config either in the list of
// path settings, which confineConfig checks, or in the list of the others:
// a new key must be classified, so a new path cannot escape confinement.
func TestConfigKeysClassified(t *testing.T) {
	typ := reflect.TypeFor[Config]()
	var keys []string
	for i := range typ.NumField() {
		key, _, _ := strings.Cut(typ.Field(i).Tag.Get("yaml"), ",")
		keys = append(keys, key)
		if !slices.Contains(configPathKeys, key) && !slices.Contains(configOtherKeys, key) {
			t.Errorf("Config key %q is in neither configPathKeys nor configOtherKeys: if it names a local path, add it to Config.paths", key)
		}
	}
	named := map[string]bool{}
	for _, p := range (Config{
		Policies: []string{"p"}, Data: []string{"d"}, CRDs: []string{"c"}, SchemaLocations: []string{"s"},
		Sources: map[string]string{"u": "."}, CacheDir: "x", Clusters: []ClusterConfig{{Name: "n", Path: "p"}},
	}).paths() {
		named[p.key] = true
	}
	for _, key := range configPathKeys {
		if !slices.Contains(keys, key) || !named[key] {
			t.Errorf("path key %q is not a key of Config or not listed by Config.paths", key)
		}
	}
}
