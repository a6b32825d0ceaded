package model

// UnseenSyncSource reports whether a GitRepository that a cluster's objects
// do not define is taken for the cluster's sync source, made outside the
// repository: the cluster was found as a folder under clusters/, so its
// sync is not in Git (flux bootstrap was pointed at another repository, or
// a person made the source), and it defines no GitRepository in
// flux-system at all. Such a source may have any name (the repository's,
// as flux create source git names it); it is this repository, as
// flux-system is for flux bootstrap. A cluster that defines GitRepositories
// there and not the one named has a misspelt or missing source.
func UnseenSyncSource(via string, objects []*Object, kind, namespace, name string) bool {
	if via != ViaClusters || kind != "GitRepository" || namespace != "flux-system" || name == "" {
		return false
	}
	for _, o := range objects {
		if IsKind(o, GroupSource, "GitRepository") && o.Ref.Namespace == namespace && o.Target == "" {
			return false
		}
	}
	return true
}
