package helm

import (
	"errors"
	"fmt"
	"testing"

	"github.com/fluxlint/fluxlint/internal/finding"
)

// TestUnavailableSeverity checks that a chart an offline run only did not
// download is information with the hint to pull it, while a chart that
// could not be had online stays a warning: the first is the run's choice,
// the second a problem of the repository or its network.
func TestUnavailableSeverity(t *testing.T) {
	offline := unavailableFinding("chart web", fmt.Errorf("chart web 1.0.0: %w", ErrOffline), finding.Pos{})
	if offline.Severity != finding.Info || offline.Hint == "" {
		t.Errorf("offline: severity %v, hint %q; want info with a hint", offline.Severity, offline.Hint)
	}
	online := unavailableFinding("chart web", errors.New("404 Not Found"), finding.Pos{})
	if online.Severity != finding.Warning || online.Hint != "" {
		t.Errorf("online: severity %v, hint %q; want a warning without the pull hint", online.Severity, online.Hint)
	}
	dep := dependencyFinding(depRef{Name: "common", Version: "2.x"}, "web", fmt.Errorf("index: %w", ErrOffline), finding.Pos{})
	if dep.Severity != finding.Info {
		t.Errorf("offline dependency: severity %v, want info", dep.Severity)
	}
}
