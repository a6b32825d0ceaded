package cli

import (
	"os"
	"testing"
)

// TestMain keeps tests off the network: a chart cache in a temporary folder,
// and every HTTP request not to 127.0.0.1 sent to a proxy address where
// nothing listens, so that it fails at once on this machine. Tests that need
// a chart server or registry start one on 127.0.0.1, which Go never proxies.
func TestMain(m *testing.M) {
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
