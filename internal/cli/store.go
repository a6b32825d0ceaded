package cli

import (
	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/diskcache"
	"github.com/fluxlint/fluxlint/internal/helm"
)

// useStore lets a check keep renders and findings in the cache folder
// (--cache-dir, or the user's cache folder) unless noCache is set: a
// second run over unchanged files reads them back instead of rendering.
func useStore(opts *check.Options, noCache bool) error {
	if noCache {
		return nil
	}
	dir := opts.CacheDir
	if dir == "" {
		var err error
		if dir, err = helm.DefaultCacheDir(); err != nil {
			return err
		}
	}
	opts.Store = &diskcache.Store{Dir: dir}
	return nil
}
