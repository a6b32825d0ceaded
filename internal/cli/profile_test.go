package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestCheckWritesProfiles(t *testing.T) {
	repo := t.TempDir()
	dir := filepath.Join(repo, "clusters", "dev")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: default\ndata:\n  a: b\n"
	if err := os.WriteFile(filepath.Join(dir, "settings.yaml"), []byte(cm), 0o600); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	cpu, mem := filepath.Join(out, "cpu.prof"), filepath.Join(out, "mem.prof")
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), []string{"check", "--offline", "-q", "--cache-dir", filepath.Join(out, "cache"),
		"--cpuprofile", cpu, "--memprofile", mem, repo}, &stdout, &stderr)
	if code > 1 {
		t.Fatalf("exit %d: %s%s", code, stdout.String(), stderr.String())
	}
	for _, p := range []string{cpu, mem} {
		st, err := os.Stat(p)
		if err != nil || st.Size() == 0 {
			t.Errorf("%s: not written (%v)", p, err)
		}
	}
	code = Run(context.Background(), []string{"check", "--offline", "--cpuprofile", filepath.Join(out, "no", "such", "dir"), repo}, &stdout, &stderr)
	if code != 2 {
		t.Errorf("an unwritable --cpuprofile: exit %d, want 2", code)
	}
}
