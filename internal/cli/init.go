package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/gitroot"
	"github.com/fluxlint/fluxlint/internal/model"
)

// defaultRelease is the release of fluxlint that init's pre-commit entry
// and workflow pin when this build is not a release itself.
const defaultRelease = "v0.1.0"

// schemaModeline is the first line of a .fluxlint.yaml that editors with
// yaml-language-server complete and check the file by.
const schemaModeline = "# yaml-language-server: $schema=https://raw.githubusercontent.com/fluxlint/fluxlint/main/fluxlint.schema.json\n"

// An initFile is one file init proposes: where it goes, relative to the
// folder it is written in, and its text.
type initFile struct {
	// name is the file's path for people: relative to the checked folder
	// for .fluxlint.yaml, to the Git work tree's top for the others.
	name string
	// abs is where --write writes it, in the folder base (absolute,
	// symbolic links resolved).
	abs, base string
	text      string
}

func newInit(stdout, stderr io.Writer) *cobra.Command {
	var write, force bool
	cmd := &cobra.Command{
		Use:   "init [PATH]",
		Short: "Propose a .fluxlint.yaml of the clusters found, a pre-commit hook and a GitHub workflow",
		Long: `init finds the clusters of the repository at PATH as check does (offline,
without charts) and prints three files to start from: a .fluxlint.yaml that
lists those clusters (naming them there replaces discovery), a
.pre-commit-config.yaml with fluxlint's hook, and a GitHub Actions workflow
that runs the fluxlint Action on pull requests and uploads its findings to
code scanning.

Nothing is written without --write: then .fluxlint.yaml goes into PATH, and
the other two to the top of the Git work tree that holds PATH (PATH when
there is none). A file that exists is left as it is, and the text to merge
into it is printed, unless --force.`,
		Example: `  fluxlint init                   # print the three files
  fluxlint init ./gitops --write  # write those that do not exist yet
  fluxlint init --write --force   # overwrite them`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := pathArg(args)
			res, err := check.Run(cmd.Context(), check.Config{Path: path, Offline: true, SkipHelm: true, NoCatalogue: true}, check.Deps{})
			if err != nil {
				return fmt.Errorf("init: %w", err)
			}
			files, err := initFiles(res.Repo.Root, res.Clusters, releaseRef())
			if err != nil {
				return err
			}
			if !write {
				for _, f := range files {
					fmt.Fprintf(stdout, "# --- %s ---\n%s\n", f.name, f.text)
				}
				return nil
			}
			return writeInitFiles(stdout, stderr, files, force)
		},
	}
	cmd.Flags().BoolVar(&write, "write", false, "write the files that do not exist yet instead of printing them")
	cmd.Flags().BoolVar(&force, "force", false, "with --write, overwrite files that exist")
	return cmd
}

// releaseRef is the fluxlint release that the pre-commit entry and the
// workflow pin: this build's version when it is a release, else
// defaultRelease.
func releaseRef() string {
	if v := fluxlintVersion(); regexp.MustCompile(`^v\d+\.\d+\.\d+$`).MatchString(v) {
		return v
	}
	return defaultRelease
}

// initFiles returns the configuration, pre-commit and workflow files for
// the repository at root (absolute) and its clusters.
func initFiles(root string, clusters []*model.Cluster, release string) ([]initFile, error) {
	cfg, err := initConfig(clusters)
	if err != nil {
		return nil, err
	}
	top, prefix, _ := gitroot.Find(root)
	return []initFile{
		{name: ConfigFile, abs: filepath.Join(root, ConfigFile), base: root, text: cfg},
		{name: ".pre-commit-config.yaml", abs: filepath.Join(top, ".pre-commit-config.yaml"), base: top, text: preCommitConfig(prefix, release)},
		{name: ".github/workflows/fluxlint.yaml", abs: filepath.Join(top, ".github", "workflows", "fluxlint.yaml"), base: top, text: workflow(prefix, release)},
	}, nil
}

// initConfig writes a .fluxlint.yaml that lists the clusters, each with a
// comment saying how discovery found it; names and paths come from the
// repository and are quoted by the YAML encoder as they need.
func initConfig(clusters []*model.Cluster) (string, error) {
	list := &yaml.Node{Kind: yaml.SequenceNode}
	for _, c := range clusters {
		item := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
			scalar("name"), scalar(c.Name), scalar("path"), scalar(c.Path),
		}}
		if c.Via != "" {
			item.Content[1].LineComment = "found by: " + c.Via
		}
		list.Content = append(list.Content, item)
	}
	doc := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{scalar("clusters"), list}}
	var buf bytes.Buffer
	buf.WriteString(schemaModeline)
	buf.WriteString(`# The configuration of fluxlint: https://github.com/fluxlint/fluxlint/blob/main/docs/configuration.md
# fluxlint init wrote the clusters it found. Naming clusters here replaces
# discovery: add a new cluster here too, or remove the list to discover them.
`)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return "", fmt.Errorf("init: %w", err)
	}
	if err := enc.Close(); err != nil {
		return "", fmt.Errorf("init: %w", err)
	}
	buf.WriteString(`# kubernetesVersion: "1.35"  # the Kubernetes version of your clusters (default: the newest embedded)
# failOn: error              # lowest severity that fails a run: error, warning, info or none
# externalObjects:           # objects made outside the repository, which references may name
#   - kind: Secret
#     namespace: flux-system
#     name: sops-age
#     reason: created by hand at bootstrap
`)
	return buf.String(), nil
}

func scalar(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s} }

// preCommitConfig is a .pre-commit-config.yaml with fluxlint's hook; a
// Flux tree in a subfolder of the work tree is named in the hook's
// arguments, which replace the hook's default ones (--offline).
func preCommitConfig(prefix, release string) string {
	args := ""
	if prefix != "" {
		args = fmt.Sprintf("        args: [--offline, %s]\n", yamlScalar(prefix))
	}
	return `# pre-commit (https://pre-commit.com): fluxlint checks the repository when a YAML file is committed.
repos:
  - repo: https://github.com/fluxlint/fluxlint
    rev: ` + release + `
    hooks:
      - id: fluxlint
` + args
}

// workflow is a GitHub Actions workflow that runs the fluxlint Action on
// the Flux tree: annotations on pull requests, and findings uploaded to
// code scanning.
func workflow(prefix, release string) string {
	path := "."
	if prefix != "" {
		path = prefix
	}
	return `# GitHub Actions: fluxlint on pull requests and on main; findings as annotations and in code scanning.
name: fluxlint
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
  security-events: write # upload-sarif: findings in code scanning
jobs:
  fluxlint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: fluxlint/fluxlint@` + release + `
        with:
          path: ` + yamlScalar(path) + `
          format: github
          upload-sarif: true
`
}

// yamlScalar writes a string as a YAML flow scalar, quoted when it must
// be.
func yamlScalar(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return string(bytes.TrimSuffix(out, []byte("\n")))
}

// writeInitFiles writes each file that does not exist (every file with
// force); for a file that exists it prints the text to merge instead. A
// file is written only inside its folder: never through a symbolic link,
// and never into something other than a regular file.
func writeInitFiles(stdout, stderr io.Writer, files []initFile, force bool) error {
	for _, f := range files { // all checked before any is written
		if err := writableInside(f.base, f.abs); err != nil {
			return fmt.Errorf("init: %w", err)
		}
	}
	for _, f := range files {
		if !force {
			if _, err := os.Lstat(f.abs); err == nil {
				fmt.Fprintf(stderr, "%s exists: left as it is (--force overwrites it); merge this into it:\n", f.abs)
				fmt.Fprintf(stdout, "# --- %s ---\n%s\n", f.name, f.text)
				continue
			} else if !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("init: %w", err)
			}
		}
		if err := os.MkdirAll(filepath.Dir(f.abs), 0o750); err != nil {
			return fmt.Errorf("init: %w", err)
		}
		if err := os.WriteFile(f.abs, []byte(f.text), 0o644); err != nil { //nolint:gosec // G306: configuration files of the user's repository, read by other tools
			return fmt.Errorf("init: %w", err)
		}
		fmt.Fprintf(stdout, "wrote %s\n", f.abs)
	}
	return nil
}

// writableInside refuses a file whose way from base passes through
// anything but folders (a symbolic link could lead out of the
// repository), or that exists and is not a regular file (a link, a FIFO).
func writableInside(base, file string) error {
	rel, err := filepath.Rel(base, file)
	if err != nil || !filepath.IsLocal(rel) {
		return fmt.Errorf("%s is outside %s", file, base)
	}
	d := base
	for _, part := range strings.Split(filepath.Dir(rel), string(filepath.Separator)) {
		if part == "." {
			continue
		}
		d = filepath.Join(d, part)
		info, err := os.Lstat(d)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if !info.IsDir() {
			return fmt.Errorf("%s is not a folder: not writing %s", d, file)
		}
	}
	if info, err := os.Lstat(file); err == nil && !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file: not writing it", file)
	}
	return nil
}
