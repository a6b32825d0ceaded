package render

import (
	"encoding/json"
	"path/filepath"

	fluxfs "github.com/fluxcd/pkg/kustomize/filesys"
	"sigs.k8s.io/kustomize/api/konfig"

	"github.com/fluxlint/fluxlint/internal/cache"
	"github.com/fluxlint/fluxlint/internal/source"
)

// plans holds the kustomization.yaml files Flux's generator made for
// builds (generate), which name the render and build records: running the
// generator again on every unchanged Kustomization of a run (matching the
// ignore rules against every file below its folder, and writing the YAML
// twice) costs more than restoring most renders.
func (bc *BuildCache) plans() cache.Bucket {
	if bc == nil {
		return cache.Bucket{}
	}
	return cache.Bucket{Store: bc.Store, Name: "plan-v1", Salt: bc.Salt}
}

// A planRecord is a cached generated kustomization, sealed under a key
// derived from what it was made of (the Flux Kustomization and the
// folder's kustomization file), as patches and images in a Kustomization
// may hold what is not kept in plain text.
type planRecord struct {
	Sealed []byte
}

// plannedKustomization is what a planRecord seals: generate's results.
type plannedKustomization struct {
	Manifest []byte
	Keep     bool
}

// A planLookup is where the generated kustomization of a build is looked
// up and kept; the zero planLookup finds and keeps nothing.
type planLookup struct {
	bucket cache.Bucket
	key    string
	seal   []byte
	kfile  string
}

// lookupPlan returns where the generated kustomization of a build of dir
// is kept, when it can be: the build cache is set, the artifact is a
// folder of the repository made by NewArtifact, and dir holds its own
// kustomization file, read as the generator reads it. The generator's
// output then depends only on the bucket's salt (the fluxlint build and
// the names of the repository's files, which say which files and folders
// are below dir and which components exist), the artifact's ignore rules
// (Artifact.ignoreSum, which holds the .sourceignore files below dir),
// the Flux Kustomization, and the content of that file, which make the
// key. A folder without a kustomization file is not looked up: the
// generator lists its manifests, whose contents decide whether it fails.
func lookupPlan(repo *source.Repo, b Build, dir string) planLookup {
	a := b.Artifact
	bucket := b.Cache.plans()
	if bucket.Store == nil || a == nil || a.ignoreSum == "" {
		return planLookup{}
	}
	if _, inside := repo.Rel(a.Root); !inside {
		return planLookup{}
	}
	fs, err := fluxfs.MakeFsOnDiskSecure(a.Root)
	if err != nil {
		return planLookup{}
	}
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		kfile := filepath.Join(dir, name)
		if !fs.Exists(kfile) || fs.IsDir(kfile) {
			continue
		}
		data, err := fs.ReadFile(kfile)
		if err != nil {
			return planLookup{}
		}
		object, err := json.Marshal(b.Kustomization.Object)
		if err != nil {
			return planLookup{}
		}
		parts := []string{"plan-v1", a.Root, a.ignoreSum, dir, kfile, string(data), string(object)}
		return planLookup{bucket: bucket, key: bucket.Key(parts...), seal: cache.SealKey(parts...), kfile: kfile}
	}
	return planLookup{}
}

// get returns the kept generated kustomization, and false when there is
// none that opens.
func (l planLookup) get() (manifest []byte, kfile string, keep, ok bool) {
	if l.key == "" {
		return nil, "", false, false
	}
	var rec planRecord
	var planned plannedKustomization
	if !l.bucket.Load(l.key, &rec) || !cache.Open(l.seal, rec.Sealed, &planned) || len(planned.Manifest) == 0 {
		return nil, "", false, false
	}
	return planned.Manifest, l.kfile, planned.Keep, true
}

// put keeps what the generator made, when it stands at the file looked
// up.
func (l planLookup) put(manifest []byte, kfile string, keep bool) {
	if l.key == "" || kfile != l.kfile {
		return
	}
	sealed, err := cache.Seal(l.seal, plannedKustomization{Manifest: manifest, Keep: keep})
	if err == nil {
		l.bucket.Keep(l.key, planRecord{Sealed: sealed})
	}
}
