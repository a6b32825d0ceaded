package safefile

import (
	"os"
	"path/filepath"
	"testing"
)

// TestConfinedTree: a chart folder, or a file in it, that is a link out of
// the source is refused; links inside the source are fine.
func TestConfinedTree(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "src")
	mk := func(p string) {
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, name string) {
		mk(filepath.Dir(name))
		if err := os.Symlink(target, name); err != nil {
			t.Skip(err)
		}
	}
	mk(filepath.Join(base, "outside"))
	mk(filepath.Join(root, "good", "templates"))
	mk(filepath.Join(root, "shared"))
	link(filepath.Join(root, "shared"), filepath.Join(root, "good", "templates", "shared"))
	link(filepath.Join(base, "outside"), filepath.Join(root, "linked"))
	link(filepath.Join(base, "outside"), filepath.Join(root, "leaky", "templates", "x"))
	link("self", filepath.Join(root, "loop", "self"))
	cases := []struct {
		name, dir string
		ok        bool
	}{
		{name: "links inside", dir: "good", ok: true},
		{name: "the folder is a link out", dir: "linked"},
		{name: "a file links out", dir: "leaky"},
		{name: "a link loops", dir: "loop"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := ConfinedTree(root, filepath.Join(root, c.dir))
			if (err == nil) != c.ok {
				t.Errorf("confinedTree: %v, want ok %v", err, c.ok)
			}
		})
	}
}
