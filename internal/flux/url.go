package flux

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"github.com/fluxlint/fluxlint/internal/safefile"
)

// NormalizeURL reduces a Git URL to host/path, so that the https, ssh and
// scp-like spellings of one repository compare equal.
func NormalizeURL(raw string) string {
	u := strings.TrimSpace(raw)
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	} else if colon := strings.Index(u, ":"); colon >= 0 && !strings.Contains(u[:colon], "/") {
		// scp-like: [user@]host:org/repo
		u = strings.Replace(u[strings.Index(u, "@")+1:], ":", "/", 1)
	}
	if at := strings.Index(u, "@"); at >= 0 && at < strings.Index(u+"/", "/") {
		u = u[at+1:]
	}
	u = strings.TrimSuffix(strings.TrimSuffix(u, "/"), ".git")
	host, path, _ := strings.Cut(u, "/")
	if h, _, found := strings.Cut(host, ":"); found && !strings.Contains(raw, "://") {
		host = h
	}
	return strings.ToLower(host) + "/" + path
}

// gitRemotes returns the normalised URLs of the remotes in the Git
// configuration of dir or of the nearest folder above it that has one.
func gitRemotes(dir string) []string {
	for d := dir; ; d = filepath.Dir(d) {
		path := filepath.Join(d, ".git", "config")
		if _, err := os.Lstat(path); err == nil {
			// Only a regular file is read: a FIFO would block.
			data, err := safefile.ReadFileLimit(path, 1<<20)
			if err != nil {
				return nil
			}
			var out []string
			sc := bufio.NewScanner(bytes.NewReader(data))
			for sc.Scan() {
				line := strings.TrimSpace(sc.Text())
				if k, v, ok := strings.Cut(line, "="); ok && strings.TrimSpace(k) == "url" {
					out = append(out, NormalizeURL(v))
				}
			}
			return out
		}
		if filepath.Dir(d) == d {
			return nil
		}
	}
}
