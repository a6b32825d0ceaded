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

// fluxlintVersion returns the version of this build of fluxlint: Version
// when the build set it (-ldflags "-X ...cli.Version=v0.1.0"), else the
// version of the main module that the go command recorded (v0.1.0 for
// "go install .../cmd/fluxlint@v0.1.0", a pseudo-version for a build of
// a checkout), else "dev" and the commit a build of a checkout recorded.
// Every output that names fluxlint's version (version, --version, SARIF,
// the language server) reads it here.
func fluxlintVersion() string {
	info, _ := debug.ReadBuildInfo()
	return versionOf(Version, info)
}

// versionOf is fluxlintVersion for a given stamped version and build
// information.
func versionOf(stamped string, info *debug.BuildInfo) string {
	if stamped != "" && stamped != "dev" {
		return stamped
	}
	if info == nil {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var revision, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if revision == "" {
		return "dev"
	}
	v := "dev+" + revision[:min(12, len(revision))]
	if modified == "true" {
		v += ".dirty"
	}
	return v
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
			return writeVersion(stdout, info)
		},
	}
}

// writeVersion prints fluxlint's version, Go's, the rendering libraries'
// (from the build information; none when it is missing) and the Kubernetes
// versions, Flux releases and Flux Operator release whose schemas are
// embedded, then each project of the CRD catalogue with its versions, the
// default first.
func writeVersion(w io.Writer, info *debug.BuildInfo) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "fluxlint\t%s\n", versionOf(Version, info))
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
