package cli

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMain keeps tests off the network: a chart cache in a temporary folder,
// and every HTTP request not to 127.0.0.1 sent to a proxy address where
// nothing listens, so that it fails at once on this machine. Tests that need
// a chart server or registry start one on 127.0.0.1, which Go never proxies.
// The go command that TestFreshClone runs keeps Go's build cache, which it
// would otherwise look for under the temporary XDG_CACHE_HOME.
func TestMain(m *testing.M) {
	if os.Getenv("GOCACHE") == "" {
		if out, err := exec.CommandContext(context.Background(), "go", "env", "GOCACHE").Output(); err == nil {
			os.Setenv("GOCACHE", strings.TrimSpace(string(out)))
		}
	}
	cache, err := os.MkdirTemp("", "fluxlint-test-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", cache)
	for _, v := range []string{"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"} {
		os.Setenv(v, "http://127.0.0.1:9")
	}
	os.Unsetenv("NO_PROXY")
	os.Unsetenv("no_proxy")
	code := m.Run()
	os.RemoveAll(cache)
	os.Exit(code)
}
