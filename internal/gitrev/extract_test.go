package gitrev

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func tarOf(t *testing.T, entries ...tar.Header) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, h := range entries {
		body := ""
		if h.Typeflag == tar.TypeReg {
			body = "data of " + h.Name
			h.Size = int64(len(body))
		}
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf
}

func TestUntar(t *testing.T) {
	dir := t.TempDir()
	err := untar(tarOf(t,
		tar.Header{Name: "a/", Typeflag: tar.TypeDir, Mode: 0o755},
		tar.Header{Name: "a/b.yaml", Typeflag: tar.TypeReg, Mode: 0o644},
		tar.Header{Name: "a/inside", Typeflag: tar.TypeSymlink, Linkname: "b.yaml"},
		tar.Header{Name: "a/outside", Typeflag: tar.TypeSymlink, Linkname: "../../etc/passwd"},
		tar.Header{Name: "a/absolute", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"},
	), dir)
	if err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "a/inside")); err != nil || string(data) != "data of a/b.yaml" {
		t.Errorf("link inside: %q, %v", data, err)
	}
	for _, name := range []string{"a/outside", "a/absolute"} {
		if _, err := os.Lstat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s was created (%v)", name, err)
		}
	}
}

func TestUntarRefusesEscapes(t *testing.T) {
	for _, name := range []string{"../evil.yaml", "a/../../evil.yaml"} {
		err := untar(tarOf(t, tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644}), t.TempDir())
		if err == nil || !strings.Contains(err.Error(), "leaves the folder") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}
