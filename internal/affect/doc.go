// Package affect tells which clusters of a repository a change of some files
// affects, statically and without rendering.
//
// A cluster reaches the files under its own folder; the folder named by the
// spec.path of every Flux Kustomization found in a reached file, followed
// transitively; inside a reached folder, the files its kustomization.yaml
// names (resources, components, patches, generator files and the rest, read
// with kustomize's own types) or, without a kustomization file, every file
// below the folder, as Flux generates one; and the local chart folders and
// values files of HelmReleases and HelmCharts whose source is a
// GitRepository or a Bucket.
//
// The answer is conservative: a cluster whose reach cannot be worked out
// statically (a spec.path or chart path with a ${variable}, a reached file
// that is not valid YAML) is taken as affected by any change. A change may
// make a cluster reach more or fewer files, but only by changing a file the
// cluster reaches now, so the reach of the changed tree is enough.
package affect
