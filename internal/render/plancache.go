package render

import (
	"encoding/json"
	"errors"
	iofs "io/fs"
	"path/filepath"

	fluxfs "github.com/fluxcd/pkg/kustomize/filesys"
	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/fluxlint/fluxlint/internal/cache"
	"github.com/fluxlint/fluxlint/internal/source"
)

// plans holds the kustomization.yaml files Flux's generator made for
// builds (generate), which name the render and build records: running the
// generator again on every unchanged Kustomization of a run (matching the
// ignore rules against every file below its folder, and writing the YAML
// twice) costs more than restoring most renders.
func (bc *BuildCache) plans() cache.Bucket {
	return bc.Bucket(PlanBucket)
}

// PlanBucket is the bucket of the generated kustomizations: a store that
// holds it has served renders before.
const PlanBucket = "plan-v2"

// A planRecord is a cached generated kustomization, sealed under a key
// derived from what it was made of (the Flux Kustomization and the
// folder's kustomization file), as patches and images in a Kustomization
// may hold what is not kept in plain text.
type planRecord struct {
	Sealed []byte
}

// plannedKustomization is what a planRecord seals: generate's results,
// and the fields findRemotes reads of the manifest (nil when it does not
// decode; plan-v1 records had none).
type plannedKustomization struct {
	Manifest []byte
	Keep     bool
	Fields   *kustomizationFields
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
// folder of the repository made by NewArtifact, and what the generator
// reads can be read (kustomizationInputs). The generator's output then
// depends only on the bucket's salt (the fluxlint build and the names of
// the repository's files, which say which files and folders are below dir
// and which components exist), the artifact's ignore rules
// (Artifact.ignoreSum, which holds the .sourceignore files below dir),
// the Flux Kustomization, and the content of dir's kustomization file or,
// without one, of the manifests the generator lists, which make the key.
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
	object, err := json.Marshal(b.Kustomization.Object)
	if err != nil {
		return planLookup{}
	}
	parts := []string{"plan-v2", a.Root, a.ignoreSum, dir, string(object)}
	kfile, content, ok := kustomizationInputs(fs, dir)
	if !ok {
		return planLookup{}
	}
	parts = append(parts, kfile)
	parts = append(parts, content...)
	return planLookup{bucket: bucket, key: bucket.Key(parts...), seal: cache.SealKey(parts...), kfile: kfile}
}

// kustomizationInputs returns the kustomization file of dir and its
// content, as the generator reads them; or, when dir has none, the file
// the generator writes and the path and content hash of every .yaml and
// .yml file the generator scans below dir (not in the .git folder, which
// every artifact leaves out, nor below a folder with a kustomization
// file, which the generator lists without reading), whose contents decide
// whether it lists or refuses them. ok is false when one cannot be read,
// or the tree below dir holds a symbolic link.
func kustomizationInputs(fs filesys.FileSystem, dir string) (kfile string, content []string, ok bool) {
	// Most folders hold a kustomization.yaml, the first name the generator
	// looks for: a file that reads is the one it finds, in one resolution
	// of the path by the secure file system rather than three.
	first := filepath.Join(dir, konfig.RecognizedKustomizationFileNames()[0])
	if data, err := fs.ReadFile(first); err == nil {
		return first, []string{string(data)}, true
	}
	if kfile, ok := kustomizationFile(fs, dir); ok {
		data, err := fs.ReadFile(kfile)
		return kfile, []string{string(data)}, err == nil
	}
	err := filepath.WalkDir(dir, func(p string, d iofs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.Type()&iofs.ModeSymlink != 0:
			return errSymlink
		case d.IsDir() && p != dir:
			if _, listed := kustomizationFile(fs, p); listed || d.Name() == ".git" {
				content = append(content, p, "listed")
				return filepath.SkipDir
			}
			return nil
		case d.IsDir() || (filepath.Ext(p) != ".yaml" && filepath.Ext(p) != ".yml"):
			return nil
		}
		// Not the FileSum that build records keep: the key that seals
		// this record must not be computable from the cache folder.
		_, part := cache.FileHashes(p)
		if part == "" {
			return errUnreadable
		}
		content = append(content, p, part)
		return nil
	})
	return filepath.Join(dir, konfig.DefaultKustomizationFileName()), content, err == nil
}

// kustomizationFile returns the kustomization file of dir that Flux's
// generator finds (the first recognised name that is a file).
func kustomizationFile(fs filesys.FileSystem, dir string) (string, bool) {
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		kfile := filepath.Join(dir, name)
		if fs.Exists(kfile) && !fs.IsDir(kfile) {
			return kfile, true
		}
	}
	return "", false
}

var (
	errSymlink    = errors.New("a symbolic link")
	errUnreadable = errors.New("an unreadable file")
)

// get returns the kept generated kustomization, and false when there is
// none that opens.
func (l planLookup) get() (planned plannedKustomization, kfile string, ok bool) {
	if l.key == "" {
		return plannedKustomization{}, "", false
	}
	var rec planRecord
	if !l.bucket.Load(l.key, &rec) || !cache.Open(l.seal, rec.Sealed, &planned) || len(planned.Manifest) == 0 {
		return plannedKustomization{}, "", false
	}
	return planned, l.kfile, true
}

// put keeps what the generator made, when it stands at the file looked
// up, with the fields findRemotes reads of it.
func (l planLookup) put(manifest []byte, kfile string, keep bool, fields *kustomizationFields) {
	if l.key == "" || kfile != l.kfile {
		return
	}
	sealed, err := cache.Seal(l.seal, plannedKustomization{Manifest: manifest, Keep: keep, Fields: fields})
	if err == nil {
		l.bucket.Keep(l.key, planRecord{Sealed: sealed})
	}
}
