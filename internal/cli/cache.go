package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/fluxlint/fluxlint/internal/diskcache"
	"github.com/fluxlint/fluxlint/internal/helm"
)

// cacheFlags are the flags shared by the cache commands.
type cacheFlags struct {
	config   string
	cacheDir string
}

func (f *cacheFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.config, "config", "", "configuration file whose cacheDir to use (default: PATH/"+ConfigFile+")")
	cmd.Flags().StringVar(&f.cacheDir, "cache-dir", "", "cache folder (default: $XDG_CACHE_HOME/fluxlint or ~/.cache/fluxlint)")
}

// dir returns the cache folder as check would use it: --cache-dir, else
// the configuration's cacheDir, else the user's cache folder.
func (f *cacheFlags) dir(args []string) (string, error) {
	if f.cacheDir != "" {
		return f.cacheDir, nil
	}
	cfgPath, explicit := f.config, f.config != ""
	if !explicit {
		cfgPath = filepath.Join(pathArg(args), ConfigFile)
	}
	cfg, err := loadConfig(cfgPath, explicit)
	if err != nil {
		return "", err
	}
	return helm.CacheDirOr(cfg.CacheDir)
}

func newCache(stdout io.Writer) *cobra.Command {
	cache := &cobra.Command{
		Use:   "cache",
		Short: "Show, prune or clean the cache folder",
		Long: `fluxlint keeps downloaded charts, repository indexes and render results in
one cache folder, shared by every run and repository: $XDG_CACHE_HOME/fluxlint
or ~/.cache/fluxlint, or the folder that --cache-dir or the cacheDir of
.fluxlint.yaml names. It is never pruned on its own: run cache prune from
time to time, or in CI before saving the cache.`,
		Example: `  fluxlint cache dir
  fluxlint cache prune                  # down to 1GiB, least recently used first
  fluxlint cache prune --max-size 500MB
  fluxlint cache clean --cache-dir .cache/fluxlint`,
	}
	cache.AddCommand(newCacheDir(stdout), newCachePrune(stdout), newCacheClean(stdout))
	return cache
}

func newCacheDir(stdout io.Writer) *cobra.Command {
	var f cacheFlags
	cmd := &cobra.Command{
		Use:   "dir [PATH]",
		Short: "Print the cache folder",
		Long: `dir prints the cache folder that check would use for the repository at PATH
(default: the current folder), whether or not it exists yet.`,
		Example: `  fluxlint cache dir
  du -sh "$(fluxlint cache dir)"`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			dir, err := f.dir(args)
			if err != nil {
				return err
			}
			fmt.Fprintln(stdout, dir)
			return nil
		},
	}
	f.register(cmd)
	return cmd
}

func newCachePrune(stdout io.Writer) *cobra.Command {
	var f cacheFlags
	var maxSize string
	cmd := &cobra.Command{
		Use:   "prune [PATH]",
		Short: "Remove the least recently used cache files down to a size",
		Long: `prune removes the least recently used files of the cache folder until it holds
at most --max-size, and temporary files that runs left behind more than an hour
ago. It is safe while other fluxlint runs use the cache: no file is ever left
half-written, and a run that misses a pruned file downloads or renders it again.`,
		Example: `  fluxlint cache prune
  fluxlint cache prune --max-size 500MB
  fluxlint cache prune --max-size 0     # remove everything but files being written`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			limit, err := parseSize(maxSize)
			if err != nil {
				return fmt.Errorf("--max-size: %w", err)
			}
			dir, err := f.dir(args)
			if err != nil {
				return err
			}
			store := &diskcache.Store{Dir: dir}
			removed, freed, err := store.Prune(limit)
			if err != nil {
				return fmt.Errorf("cache prune: %w", err)
			}
			size, files, err := store.Usage()
			if err != nil {
				return fmt.Errorf("cache prune: %w", err)
			}
			fmt.Fprintf(stdout, "removed %d files (%s) from %s; %d files (%s) remain\n",
				removed, formatSize(freed), dir, files, formatSize(size))
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&maxSize, "max-size", "1GiB", "size to bring the cache down to: bytes, or a number with KB, MB, GB, KiB, MiB or GiB")
	return cmd
}

func newCacheClean(stdout io.Writer) *cobra.Command {
	var f cacheFlags
	cmd := &cobra.Command{
		Use:   "clean [PATH]",
		Short: "Remove everything in the cache folder",
		Long: `clean removes everything in the cache folder and keeps the folder itself. It
refuses a folder that holds files but none of the folders fluxlint keeps
(charts, index, or cache buckets), so that a mistyped --cache-dir cannot empty
another folder.`,
		Example: `  fluxlint cache clean
  fluxlint cache clean --cache-dir .cache/fluxlint`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			dir, err := f.dir(args)
			if err != nil {
				return err
			}
			removed, freed, err := cleanCache(dir)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "removed %d files (%s) from %s\n", removed, formatSize(freed), dir)
			return nil
		},
	}
	f.register(cmd)
	return cmd
}

// cleanCache removes everything in dir after checking that it is a
// fluxlint cache folder; a missing folder is already clean.
func cleanCache(dir string) (removed int, freed int64, err error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("cache clean: %w", err)
	}
	if len(entries) > 0 && !isCacheFolder(dir, entries) {
		return 0, 0, fmt.Errorf("cache clean: %s does not look like a fluxlint cache folder (no charts, index or cache bucket folder); nothing removed", dir)
	}
	// Count first, as Usage does, then remove each top-level entry.
	store := &diskcache.Store{Dir: dir}
	freed, removed, err = store.Usage()
	if err != nil {
		return 0, 0, fmt.Errorf("cache clean: %w", err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return 0, 0, fmt.Errorf("cache clean: %w", err)
		}
	}
	return removed, freed, nil
}

// isCacheFolder reports whether dir holds a folder fluxlint keeps: the chart
// cache's charts or index, or a diskcache bucket, whose folders are all
// named by two hex digits.
func isCacheFolder(dir string, entries []fs.DirEntry) bool {
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if e.Name() == "charts" || e.Name() == "index" {
			return true
		}
		sub, err := os.ReadDir(filepath.Join(dir, e.Name()))
		if err != nil || len(sub) == 0 {
			continue
		}
		bucket := true
		for _, s := range sub {
			if !s.IsDir() || !isHexPair(s.Name()) {
				bucket = false
				break
			}
		}
		if bucket {
			return true
		}
	}
	return false
}

// isHexPair reports whether name is two lower-case hex digits.
func isHexPair(name string) bool {
	if len(name) != 2 {
		return false
	}
	for _, c := range name {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// sizeUnits are the suffixes parseSize accepts, longest first within each
// family so that "MiB" is not read as "B".
var sizeUnits = []struct {
	suffix string
	factor float64
}{
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
	{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
	{"b", 1},
}

// parseSize reads a size: a number of bytes, or a number with a unit such
// as 500MB (10^6) or 2GiB (2^30).
func parseSize(s string) (int64, error) {
	text := strings.ToLower(strings.TrimSpace(s))
	factor := 1.0
	for _, u := range sizeUnits {
		if strings.HasSuffix(text, u.suffix) {
			text, factor = strings.TrimSpace(strings.TrimSuffix(text, u.suffix)), u.factor
			break
		}
	}
	n, err := strconv.ParseFloat(text, 64)
	if err != nil || n < 0 || math.IsInf(n, 0) || math.IsNaN(n) || n*factor > math.MaxInt64/2 {
		return 0, fmt.Errorf("%q is not a size such as 500MB, 2GiB or a number of bytes", s)
	}
	return int64(n * factor), nil
}

// formatSize prints a size in binary units, e.g. 1.5 MiB.
func formatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}
