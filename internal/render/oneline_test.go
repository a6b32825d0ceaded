package render

import (
	"strings"
	"testing"
)

// TestOneLineKeepsCause checks that a long kustomize error, which wraps the
// error of each folder it recursed into, keeps both the folder built and
// the cause at its end.
func TestOneLineKeepsCause(t *testing.T) {
	var b strings.Builder
	b.WriteString("accumulating resources: accumulation err='accumulating resources from 'metallb': read clusters/local/infrastructure/metallb: is a directory'")
	for range 5 {
		b.WriteString(": recursed accumulation of path 'clusters/base/infrastructure/metallb': accumulating resources:\n  accumulation err='accumulating resources from '../../base'")
	}
	b.WriteString(": may not add resource with an already registered id: L2Advertisement.v1beta1.metallb.io/l2-advertisement.metallb-system")
	got := oneLine(b.String())
	if strings.Contains(got, "\n") {
		t.Errorf("oneLine kept a line break: %q", got)
	}
	if !strings.HasPrefix(got, "accumulating resources: accumulation err='accumulating resources from 'metallb'") {
		t.Errorf("oneLine lost the start: %q", got)
	}
	if !strings.HasSuffix(got, "already registered id: L2Advertisement.v1beta1.metallb.io/l2-advertisement.metallb-system") {
		t.Errorf("oneLine lost the cause at the end: %q", got)
	}
	if len(got) > 420 {
		t.Errorf("oneLine kept %d bytes, want at most 420", len(got))
	}
	if short := "kustomize build failed: path \"./x\" not found"; oneLine(short) != short {
		t.Errorf("oneLine changed a short message: %q", oneLine(short))
	}
}
