package flux

import (
	"github.com/fluxlint/fluxlint/internal/model"
)

// handApplied returns the root Kustomizations of an orphan cluster that
// the build of its entry folder leaves out: a file of the folder, beside a
// kustomization file that does not list it, holding a Flux Kustomization
// that builds a folder of this repository. Such a root is applied by hand
// at bootstrap (kubectl apply -f), so it is in the cluster although no
// render makes it, and the source it names is the cluster's sync source.
// The files it returns objects of count as read by the cluster.
func (c *cluster) handApplied(dir string) []*model.Object {
	built := func(rel string) bool { return c.read[rel] }
	var out []*model.Object
	var files []string
	for _, d := range rootKustomizations(c.repo, dir) {
		if rel := d.File.Path; built(rel) || templated(d.File) {
			continue
		}
		content := d.Object()
		out = append(out, &model.Object{Content: content, Ref: model.RefOf(content), Origin: d.Pos(), Doc: d})
		files = append(files, d.File.Path)
	}
	for _, rel := range files {
		c.read[rel] = true
	}
	return out
}
