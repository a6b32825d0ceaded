package cli

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"
)

func TestResolveBuild(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	tests := []struct {
		name    string
		stamped string
		commit  string
		info    *debug.BuildInfo
		want    build
	}{
		{name: "release stamped with -ldflags", stamped: "v0.1.0", commit: "0123abc",
			info: &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("fff", "false")},
			want: build{Version: "v0.1.0", Commit: "0123abc"}},
		{name: "go install module@version", stamped: "dev",
			info: &debug.BuildInfo{Main: debug.Module{Path: "github.com/fluxlint/fluxlint", Version: "v0.2.1"}},
			want: build{Version: "v0.2.1", Commit: "unknown"}},
		{name: "go build in a clean checkout at a tag", stamped: "dev",
			info: &debug.BuildInfo{Main: debug.Module{Version: "v0.1.0"}, Settings: vcs("1449ec5", "false")},
			want: build{Version: "v0.1.0", Commit: "1449ec5"}},
		{name: "go build with uncommitted changes", stamped: "dev",
			info: &debug.BuildInfo{Main: debug.Module{Version: "v0.1.1-0.20261206230000-1449ec5abcde+dirty"}, Settings: vcs("1449ec5", "true")},
			want: build{Version: "v0.1.1-0.20261206230000-1449ec5abcde+dirty", Commit: "1449ec5 (modified)"}},
		{name: "go test or -buildvcs=false", stamped: "dev",
			info: &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}},
			want: build{Version: "dev", Commit: "unknown"}},
		{name: "no build information", stamped: "dev", want: build{Version: "dev", Commit: "unknown"}},
		{name: "empty stamp", stamped: "", want: build{Version: "dev", Commit: "unknown"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := resolveBuild(tt.stamped, tt.commit, tt.info); got != tt.want {
				t.Errorf("resolveBuild(%q, %q) = %+v, want %+v", tt.stamped, tt.commit, got, tt.want)
			}
		})
	}
}

func TestWriteVersionNamesVersionAndCommit(t *testing.T) {
	var out bytes.Buffer
	if err := writeVersion(&out, build{Version: "v0.1.0", Commit: "0123abc"}, nil); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	if len(lines) < 2 || strings.Join(strings.Fields(lines[0]), " ") != "fluxlint v0.1.0" || strings.Join(strings.Fields(lines[1]), " ") != "commit 0123abc" {
		t.Errorf("the first lines are not the version and the commit:\n%s", out.String())
	}
}
