package actionrun

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCondition(t *testing.T) {
	sc := scope{values: map[string]string{"inputs.cache": "true", "steps.check.outputs.sarif-file": "/tmp/f.sarif"}}
	failed := sc
	failed.failed = true
	tests := []struct {
		name    string
		sc      scope
		expr    string
		want    bool
		wantErr bool
	}{
		{name: "no condition", sc: sc, expr: "", want: true},
		{name: "no condition after a failure", sc: failed, expr: "", want: false},
		{name: "equal", sc: sc, expr: "${{ inputs.cache == 'true' }}", want: true},
		{name: "equal without braces", sc: sc, expr: "inputs.cache == 'false'", want: false},
		{name: "an unset step output is empty", sc: sc, expr: "steps.restore.outputs.cache-hit != 'true'", want: true},
		{name: "a comparison implies success()", sc: failed, expr: "inputs.cache == 'true'", want: false},
		{name: "!cancelled() runs after a failure", sc: failed, expr: "${{ !cancelled() && steps.check.outputs.sarif-file != '' }}", want: true},
		{name: "failure()", sc: failed, expr: "failure()", want: true},
		{name: "an unknown name", sc: sc, expr: "inputs.nope == 'x'", wantErr: true},
		{name: "an unsupported operator", sc: sc, expr: "inputs.cache || always()", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.sc.condition(tt.expr)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("condition(%q) = %v, %v; want %v, error %v", tt.expr, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestExpand(t *testing.T) {
	sc := scope{values: map[string]string{"inputs.path": "deploy", "github.action_path": "/a"}}
	got, err := sc.expand(`bash "${{ github.action_path }}/x.sh" ${{inputs.path}} ${{ steps.x.outputs.y }}`)
	if err != nil || got != `bash "/a/x.sh" deploy ` {
		t.Errorf("expand = %q, %v", got, err)
	}
	if _, err := sc.expand("${{ secrets.TOKEN }}"); err == nil {
		t.Error("an unknown name expanded without an error")
	}
}

func TestReadOutputs(t *testing.T) {
	name := filepath.Join(t.TempDir(), "output")
	data := "a=1\nempty=\n\nkeys<<EOF\nfirst\n\nthird\nEOF\nb=x=y\n"
	if err := os.WriteFile(name, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := readOutputs(name)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a": "1", "empty": "", "keys": "first\n\nthird", "b": "x=y"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if err := os.WriteFile(name, []byte("k<<EOF\nnever closed\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := readOutputs(name); err == nil {
		t.Error("an unclosed block was accepted")
	}
}
