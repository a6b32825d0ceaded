package main

import (
	"os"
	"regexp"
	"strings"
)

// urlLine matches a `url:` line of YAML, its value optionally quoted and
// followed by a comment.
var urlLine = regexp.MustCompile(`^(\s*(?:-\s+)?url:\s*)(["']?)([^"'\s#]+)(["']?)(\s*(?:#.*)?)$`)

// rewriteURLs replaces, on the `url:` lines of the files, every URL that is
// a key of urls by its value (whole values only: oci://a/b is not a prefix
// match of oci://a/b-c). It returns the number of lines changed.
func rewriteURLs(files []repoFile, urls map[string]string) (int, error) {
	changed := 0
	for _, f := range files {
		n, err := rewriteFile(f, urls)
		if err != nil {
			return changed, err
		}
		changed += n
	}
	return changed, nil
}

// rewriteFile rewrites one file, through an os.Root of its repository.
func rewriteFile(f repoFile, urls map[string]string) (int, error) {
	r, err := os.OpenRoot(f.Root)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	data, err := r.ReadFile(f.Rel)
	if err != nil {
		return 0, err
	}
	lines := strings.Split(string(data), "\n")
	n := 0
	for i, line := range lines {
		m := urlLine.FindStringSubmatch(strings.TrimSuffix(line, "\r"))
		if m == nil {
			continue
		}
		to, ok := urls[strings.TrimSuffix(m[3], "/")]
		if !ok {
			continue
		}
		lines[i] = m[1] + m[2] + to + m[4] + m[5]
		n++
	}
	if n == 0 {
		return 0, nil
	}
	info, err := r.Stat(f.Rel)
	if err != nil {
		return 0, err
	}
	return n, r.WriteFile(f.Rel, []byte(strings.Join(lines, "\n")), info.Mode().Perm())
}
