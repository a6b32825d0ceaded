package finding

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestParseSeverity(t *testing.T) {
	tests := []struct {
		in      string
		want    Severity
		wantErr bool
	}{
		{in: "error", want: Error},
		{in: "warning", want: Warning},
		{in: "warn", want: Warning},
		{in: "info", want: Info},
		{in: " ERROR ", want: Error},
		{in: "Warning", want: Warning},
		{in: "", wantErr: true},
		{in: "fatal", wantErr: true},
		{in: "errors", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSeverity(tt.in)
			if tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), "unknown severity") {
					t.Errorf("ParseSeverity(%q) = %v, %v; want an unknown-severity error", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseSeverity(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestSeverityTextRoundTrip(t *testing.T) {
	tests := []struct {
		sev  Severity
		name string
	}{
		{sev: Info, name: "info"},
		{sev: Warning, name: "warning"},
		{sev: Error, name: "error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.sev.MarshalText()
			if err != nil || string(b) != tt.name {
				t.Fatalf("MarshalText = %q, %v; want %q", b, err, tt.name)
			}
			var back Severity = -1
			if err := back.UnmarshalText(b); err != nil || back != tt.sev {
				t.Errorf("UnmarshalText(%q) = %v, %v; want %v", b, back, err, tt.sev)
			}
			j, err := json.Marshal(struct{ S Severity }{tt.sev})
			if err != nil || string(j) != `{"S":"`+tt.name+`"}` {
				t.Errorf("json = %s, %v", j, err)
			}
		})
	}
	t.Run("unknown name keeps the old value", func(t *testing.T) {
		s := Warning
		if err := s.UnmarshalText([]byte("critical")); err == nil {
			t.Error("UnmarshalText(critical) succeeded")
		}
		if s != Warning {
			t.Errorf("severity changed to %v on error", s)
		}
		var v struct{ S Severity }
		if err := json.Unmarshal([]byte(`{"S":"nope"}`), &v); err == nil {
			t.Error("json.Unmarshal of an unknown severity succeeded")
		}
	})
	t.Run("order", func(t *testing.T) {
		if Info >= Warning || Warning >= Error {
			t.Error("severities are not ordered info < warning < error")
		}
		if Severity(0) != Info || Severity(42).String() != "info" {
			t.Error("zero or out-of-range severity is not info")
		}
	})
}

func TestPosString(t *testing.T) {
	tests := []struct {
		name string
		pos  Pos
		want string
	}{
		{name: "no file", pos: Pos{Line: 3, Col: 4}, want: "-"},
		{name: "whole file", pos: Pos{File: "a/b.yaml"}, want: "a/b.yaml"},
		{name: "line only", pos: Pos{File: "a/b.yaml", Line: 7}, want: "a/b.yaml:7"},
		{name: "line and column", pos: Pos{File: "a/b.yaml", Line: 7, Col: 3}, want: "a/b.yaml:7:3"},
		{name: "end ignored", pos: Pos{File: "f", Line: 1, Col: 2, EndLine: 3, EndCol: 4}, want: "f:1:2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.pos.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if got, want := tt.pos.IsZero(), tt.pos.File == ""; got != want {
				t.Errorf("IsZero() = %v, want %v", got, want)
			}
		})
	}
}

func TestPosUnder(t *testing.T) {
	tests := []struct {
		name, dir string
		pos       Pos
		want      Pos
	}{
		{name: "subfolder", dir: "gitops", pos: Pos{File: "clusters/a/x.yaml", Line: 2, Col: 3}, want: Pos{File: "gitops/clusters/a/x.yaml", Line: 2, Col: 3}},
		{name: "nested", dir: "a/b", pos: Pos{File: "x.yaml"}, want: Pos{File: "a/b/x.yaml"}},
		{name: "top", dir: "", pos: Pos{File: "x.yaml", Line: 1}, want: Pos{File: "x.yaml", Line: 1}},
		{name: "no file", dir: "gitops", pos: Pos{Line: 4}, want: Pos{Line: 4}},
		{name: "absolute", dir: "gitops", pos: Pos{File: "/cache/chart/x.yaml"}, want: Pos{File: "/cache/chart/x.yaml"}},
		{name: "beside the folder", dir: "gitops/fleet", pos: Pos{File: "../tenants/x.yaml"}, want: Pos{File: "gitops/tenants/x.yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.pos.Under(tt.dir); got != tt.want {
				t.Errorf("Under(%q) = %+v, want %+v", tt.dir, got, tt.want)
			}
		})
	}
}

func TestObjectRefString(t *testing.T) {
	tests := []struct {
		name string
		ref  ObjectRef
		want string
		zero bool
	}{
		{name: "namespaced", ref: ObjectRef{APIVersion: "v1", Kind: "ConfigMap", Namespace: "ns", Name: "x"}, want: "ConfigMap/ns/x"},
		{name: "cluster scoped", ref: ObjectRef{Kind: "Namespace", Name: "ns"}, want: "Namespace/ns"},
		{name: "zero", ref: ObjectRef{}, want: "/", zero: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.ref.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if tt.ref.IsZero() != tt.zero {
				t.Errorf("IsZero() = %v, want %v", tt.ref.IsZero(), tt.zero)
			}
		})
	}
}

func TestFindingString(t *testing.T) {
	f := Finding{RuleID: "yaml-syntax", Severity: Error, Message: "bad", Pos: Pos{File: "a.yaml", Line: 2, Col: 5}}
	if got, want := f.String(), "a.yaml:2:5: error: bad [yaml-syntax]"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestFindingJSONShape(t *testing.T) {
	b, err := json.Marshal(Finding{RuleID: "r", Severity: Warning, Message: "m", Pos: Pos{File: "f"}})
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{`"rule":"r"`, `"severity":"warning"`, `"position":{"file":"f"}`} {
		if !strings.Contains(got, want) {
			t.Errorf("json %s lacks %s", got, want)
		}
	}
	for _, absent := range []string{`"object"`, `"cluster"`, `"hint"`, `"chain"`, `"line"`} {
		if strings.Contains(got, absent) {
			t.Errorf("json %s has empty field %s", got, absent)
		}
	}
}

func TestFingerprint(t *testing.T) {
	base := Finding{
		RuleID: "flux-source-missing", Severity: Error, Message: "sourceRef names GitRepository x",
		Pos: Pos{File: "clusters/a/apps.yaml", Line: 10, Col: 3}, Cluster: "a",
		Object: ObjectRef{Kind: "Kustomization", Namespace: "flux-system", Name: "apps"},
	}
	fp := base.Fingerprint()
	if len(fp) != 16 || strings.Trim(fp, "0123456789abcdef") != "" {
		t.Fatalf("Fingerprint() = %q, want 16 hex digits", fp)
	}
	tests := []struct {
		name   string
		change func(*Finding)
		same   bool
	}{
		{name: "line moves", change: func(f *Finding) { f.Pos.Line = 99; f.Pos.Col = 1; f.Pos.EndLine = 100 }, same: true},
		{name: "severity changes", change: func(f *Finding) { f.Severity = Warning }, same: true},
		{name: "hint and chain change", change: func(f *Finding) { f.Hint = "h"; f.Chain = []string{"x"} }, same: true},
		{name: "rule", change: func(f *Finding) { f.RuleID = "flux-source-unavailable" }},
		{name: "file", change: func(f *Finding) { f.Pos.File = "clusters/b/apps.yaml" }},
		{name: "cluster", change: func(f *Finding) { f.Cluster = "b" }},
		{name: "object", change: func(f *Finding) { f.Object.Name = "infra" }},
		{name: "message", change: func(f *Finding) { f.Message += "!" }},
		{name: "fields do not run together", change: func(f *Finding) { f.RuleID = "flux-source-missin"; f.Pos.File = "gclusters/a/apps.yaml" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := base
			tt.change(&f)
			if got := f.Fingerprint(); (got == fp) != tt.same {
				t.Errorf("Fingerprint() = %s, base %s; want same=%v", got, fp, tt.same)
			}
		})
	}
}

func TestFingerprintLeavesQuotedLinesOut(t *testing.T) {
	fp := func(msg string) string {
		return Finding{RuleID: "r", Pos: Pos{File: "a.yaml"}, Message: msg}.Fingerprint()
	}
	same := [][2]string{
		{"defined at other/cm.yaml:12:3, outside Flux's renders", "defined at other/cm.yaml:40:1, outside Flux's renders"},
		{"template: web/templates/deployment.yaml:12:3: executing", "template: web/templates/deployment.yaml:13:3: executing"},
		{`duplicate key "a" (first set on line 3)`, `duplicate key "a" (first set on line 30)`},
		{"yaml: line 5: did not find expected key", "yaml: line 6: did not find expected key"},
		{".fluxlint.yaml:7: bad", ".fluxlint.yaml:8: bad"},
	}
	for _, p := range same {
		if fp(p[0]) != fp(p[1]) {
			t.Errorf("%q and %q have different fingerprints", p[0], p[1])
		}
	}
	differ := [][2]string{
		{"replicas: want at most 3", "replicas: want at most 4"},
		{"image nginx:1.25 is old", "image nginx:1.26 is old"},
		{"defined at a.yaml:1", "defined at b.yaml:1"},
	}
	for _, p := range differ {
		if fp(p[0]) == fp(p[1]) {
			t.Errorf("%q and %q have the same fingerprint", p[0], p[1])
		}
	}
}

func TestSort(t *testing.T) {
	mk := func(file string, line, col int, rule, cluster string) Finding {
		return Finding{RuleID: rule, Severity: Error, Message: "m", Pos: Pos{File: file, Line: line, Col: col}, Cluster: cluster}
	}
	tests := []struct {
		name string
		in   []Finding
		want []Finding
	}{
		{
			name: "by file, line, column, rule",
			in: []Finding{
				mk("b.yaml", 1, 1, "r", ""),
				mk("a.yaml", 10, 1, "r", ""),
				mk("a.yaml", 2, 5, "z", ""),
				mk("a.yaml", 2, 5, "a", ""),
				mk("a.yaml", 2, 1, "r", ""),
			},
			want: []Finding{
				mk("a.yaml", 2, 1, "r", ""),
				mk("a.yaml", 2, 5, "a", ""),
				mk("a.yaml", 2, 5, "z", ""),
				mk("a.yaml", 10, 1, "r", ""),
				mk("b.yaml", 1, 1, "r", ""),
			},
		},
		{
			name: "exact duplicates removed, even when not adjacent on input",
			in: []Finding{
				mk("a.yaml", 1, 1, "r", "c1"),
				mk("b.yaml", 1, 1, "r", "c1"),
				mk("a.yaml", 1, 1, "r", "c1"),
				mk("a.yaml", 1, 1, "r", "c1"),
			},
			want: []Finding{mk("a.yaml", 1, 1, "r", "c1"), mk("b.yaml", 1, 1, "r", "c1")},
		},
		{
			name: "findings differing in cluster are kept",
			in:   []Finding{mk("a.yaml", 1, 1, "r", "prod"), mk("a.yaml", 1, 1, "r", "dev")},
			want: []Finding{mk("a.yaml", 1, 1, "r", "dev"), mk("a.yaml", 1, 1, "r", "prod")},
		},
		{name: "empty", in: nil, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sort(tt.in)
			if !slices.EqualFunc(got, tt.want, func(a, b Finding) bool { return a.String() == b.String() && a.Cluster == b.Cluster }) {
				t.Errorf("Sort =\n%v\nwant\n%v", got, tt.want)
			}
		})
	}
}

func TestSortKeepsDifferentSeverityOrHint(t *testing.T) {
	a := Finding{RuleID: "r", Severity: Error, Message: "m", Pos: Pos{File: "f", Line: 1}}
	b := a
	b.Severity = Warning
	c := a
	c.Hint = "do this"
	d := a
	d.Object = ObjectRef{Kind: "K", Name: "n"}
	got := Sort([]Finding{a, b, c, d})
	if len(got) != 4 {
		t.Errorf("Sort kept %d findings, want 4: %v", len(got), got)
	}
}

func TestCompareIsTotal(t *testing.T) {
	a := Finding{RuleID: "r", Message: "a", Pos: Pos{File: "f", Line: 1, Col: 1}}
	b := a
	b.Message = "b"
	if Compare(a, b) >= 0 || Compare(b, a) <= 0 || Compare(a, a) != 0 {
		t.Errorf("Compare by message: %d %d %d", Compare(a, b), Compare(b, a), Compare(a, a))
	}
	c := a
	c.Object = ObjectRef{Kind: "K", Name: "x"}
	if Compare(a, c) == 0 {
		t.Error("Compare ignores the object")
	}
}
