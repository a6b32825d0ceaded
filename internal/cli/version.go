package cli

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/fluxlint/fluxlint/internal/schema"
)

// operatorSchemas names the embedded Flux Operator release and its kinds,
// e.g. "v0.58.1 (FluxInstance, FluxReport, ResourceSet,
// ResourceSetInputProvider)".
func operatorSchemas() string {
	var kinds []string
	for _, k := range schema.FluxOperatorKinds() {
		_, kind, _ := strings.Cut(k, " ")
		kinds = append(kinds, kind)
	}
	return schema.FluxOperatorVersion() + " (" + strings.Join(kinds, ", ") + ")"
}

// versionModules are the prefixes of the modules whose versions decide how
// fluxlint renders: Helm, kustomize and the Flux libraries.
var versionModules = []string{
	"helm.sh/helm/",
	"sigs.k8s.io/kustomize/",
	"github.com/fluxcd/",
	"k8s.io/apimachinery",
}

func newVersion(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the versions of fluxlint, the libraries it renders with and the embedded Kubernetes schemas",
		Example: `  fluxlint version
  fluxlint version | grep kustomize`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			info, _ := debug.ReadBuildInfo()
			return writeVersion(stdout, resolveBuild(Version, Commit, info), info)
		},
	}
}

// A build names a fluxlint binary: its release version and the Git commit
// it was built from.
type build struct {
	Version string
	Commit  string
}

// devVersion is the version of a build that no release stamped and no
// module version names (go build or go test in a checkout without VCS
// information).
const devVersion = "dev"

// fluxlintVersion returns the version of the running binary, as
// resolveBuild works it out. Every output that names fluxlint's version
// (version, --version, SARIF, the language server, init) reads it here.
func fluxlintVersion() string {
	info, _ := debug.ReadBuildInfo()
	return resolveBuild(Version, Commit, info).Version
}

// resolveBuild returns the version and commit of a build: the ones stamped
// with -ldflags (a release), else the main module's version and VCS revision
// from the build information: "go install module@v0.1.0" records the
// version v0.1.0 and no revision, "go build" in a Git checkout a version
// from the checkout's tags (a pseudo-version between tags) and the revision.
// What none of them gives is "dev" and "unknown".
func resolveBuild(stamped, commit string, info *debug.BuildInfo) build {
	b := build{Version: stamped, Commit: commit}
	if info != nil {
		if (b.Version == "" || b.Version == devVersion) && info.Main.Version != "" && info.Main.Version != "(devel)" {
			b.Version = info.Main.Version
		}
		if b.Commit == "" {
			b.Commit = vcsRevision(info)
		}
	}
	if b.Version == "" {
		b.Version = devVersion
	}
	if b.Commit == "" {
		b.Commit = "unknown"
	}
	return b
}

// vcsRevision returns the VCS revision of the build information, with
// " (modified)" when the work tree had uncommitted changes; empty when
// there is none.
func vcsRevision(info *debug.BuildInfo) string {
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev != "" && modified == "true" {
		rev += " (modified)"
	}
	return rev
}

// writeVersion prints fluxlint's version and commit, Go's, the rendering
// libraries' (from the build information; none when it is missing) and the Kubernetes
// versions, Flux releases and Flux Operator release whose schemas are
// embedded, then each project of the CRD catalogue with its versions, the
// default first.
func writeVersion(w io.Writer, b build, info *debug.BuildInfo) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "fluxlint\t%s\n", b.Version)
	fmt.Fprintf(tw, "commit\t%s\n", b.Commit)
	fmt.Fprintf(tw, "go\t%s\n", runtime.Version())
	for _, m := range libraryVersions(info) {
		fmt.Fprintf(tw, "%s\t%s\n", m[0], m[1])
	}
	fmt.Fprintf(tw, "kubernetes schemas\t%s\n", strings.Join(schema.Versions(), ", "))
	fmt.Fprintf(tw, "flux schemas\t%s\n", strings.Join(schema.FluxVersions(), ", "))
	fmt.Fprintf(tw, "flux operator schemas\t%s\n", operatorSchemas())
	for _, p := range schema.CatalogueProjects() {
		fmt.Fprintf(tw, "catalogue %s\t%s (%s)\n", p.Name, strings.Join(p.Versions, ", "), p.License)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write version: %w", err)
	}
	return nil
}

// libraryVersions returns path and version of each dependency that
// versionModules names, sorted by path; a replaced module shows its
// replacement's version.
func libraryVersions(info *debug.BuildInfo) [][2]string {
	if info == nil {
		return nil
	}
	var out [][2]string
	for _, d := range info.Deps {
		if !slices.ContainsFunc(versionModules, func(p string) bool { return strings.HasPrefix(d.Path, p) }) {
			continue
		}
		v := d.Version
		if d.Replace != nil {
			v = d.Replace.Version + " (replaces " + d.Version + ")"
		}
		out = append(out, [2]string{d.Path, v})
	}
	slices.SortFunc(out, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	return out
}
