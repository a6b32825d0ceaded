package cli

import (
	"os"
	"path/filepath"
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

// TestConfigRelativeRepository checks the repository given as a relative
// path, "." included, as fluxlint check runs in CI: the configuration is
// found inside it and its paths are accepted.
func TestConfigRelativeRepository(t *testing.T) {
	repo := writeRepo(t, map[string]string{
		ConfigFile:         "policies: [policy]\ndata: [policy/data.yaml]\ncacheDir: .cache\n",
		"policy/a.rego":    "package main\n",
		"policy/data.yaml": "a: 1\n",
	})
	t.Chdir(repo)
	for _, path := range []string{".", "./", "../" + filepath.Base(repo)} {
		cfg, err := loadConfig(filepath.Join(path, ConfigFile), false)
		if err != nil || len(cfg.Policies) != 1 {
			t.Errorf("%s: %v, %+v", path, err, cfg)
		}
	}
	if _, err := loadConfig(filepath.Join(".", ConfigFile), false); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ConfigFile, []byte("data: [../x]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadConfig(ConfigFile, false); err == nil || !strings.Contains(err.Error(), "outside the repository") {
		t.Errorf("a .. path from \".\": %v", err)
	}
}
