package schemas

// Regenerating downloads the k8s.io/kubernetes modules (hundreds of MB), so
// it is never part of CI; the generated bundles are committed.
//go:generate go -C ../tools run ./schemagen -out ../schemas
