package flux

import "testing"

func TestCommonCopyRoot(t *testing.T) {
	type cp struct{ from, to string }
	tests := []struct {
		name      string
		copies    []cp
		wantAlias string
		wantDir   string
		wantOK    bool
	}{
		{
			name:      "one folder to the artifact root",
			copies:    []cp{{"@monorepo/infrastructure/**", "@artifact/"}},
			wantAlias: "monorepo", wantDir: "infrastructure", wantOK: true,
		},
		{
			name: "sub-folders of one root",
			copies: []cp{
				{"@monorepo/apps/base/**", "@artifact/base/"},
				{"@monorepo/apps/staging/**", "@artifact/staging/"},
			},
			wantAlias: "monorepo", wantDir: "apps", wantOK: true,
		},
		{
			name:      "deep folder",
			copies:    []cp{{"@src/deploy/apps/prod/**", "@artifact/"}},
			wantAlias: "src", wantDir: "deploy/apps/prod", wantOK: true,
		},
		{
			name:      "target without trailing slash",
			copies:    []cp{{"@monorepo/apps/base/**", "@artifact/base"}},
			wantAlias: "monorepo", wantDir: "apps", wantOK: true,
		},
		{
			name:      "whole source",
			copies:    []cp{{"@monorepo/**", "@artifact/"}},
			wantAlias: "monorepo", wantDir: "", wantOK: true,
		},
		{
			name:      "top folder keeps its name",
			copies:    []cp{{"@monorepo/base/**", "@artifact/base/"}},
			wantAlias: "monorepo", wantDir: "", wantOK: true,
		},
		{
			name: "mixed roots",
			copies: []cp{
				{"@monorepo/apps/base/**", "@artifact/base/"},
				{"@monorepo/infra/staging/**", "@artifact/staging/"},
			},
		},
		{
			name: "mixed aliases",
			copies: []cp{
				{"@one/apps/base/**", "@artifact/base/"},
				{"@two/apps/staging/**", "@artifact/staging/"},
			},
		},
		{name: "renamed folder", copies: []cp{{"@monorepo/apps/base/**", "@artifact/other/"}}},
		{name: "name suffix is not a folder", copies: []cp{{"@monorepo/apps/xbase/**", "@artifact/base/"}}},
		{name: "whole source into a sub-folder", copies: []cp{{"@monorepo/**", "@artifact/apps/"}}},
		{name: "single file", copies: []cp{{"@monorepo/apps/kustomization.yaml", "@artifact/"}}},
		{name: "one-level glob", copies: []cp{{"@monorepo/apps/*", "@artifact/"}}},
		{name: "no alias", copies: []cp{{"monorepo/apps/**", "@artifact/"}}},
		{name: "target outside the artifact", copies: []cp{{"@monorepo/apps/**", "@other/"}}},
		{name: "no copies"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var copies []any
			for _, c := range tt.copies {
				copies = append(copies, map[string]any{"from": c.from, "to": c.to})
			}
			artifact := map[string]any{"name": "a"}
			if copies != nil {
				artifact["copy"] = copies
			}
			alias, dir, ok := CommonCopyRoot(artifact)
			if ok != tt.wantOK || alias != tt.wantAlias || dir != tt.wantDir {
				t.Errorf("CommonCopyRoot = %q, %q, %v; want %q, %q, %v", alias, dir, ok, tt.wantAlias, tt.wantDir, tt.wantOK)
			}
		})
	}
}

func TestCommonCopyRootBadShapes(t *testing.T) {
	tests := []struct {
		name     string
		artifact map[string]any
	}{
		{name: "copy is not a list", artifact: map[string]any{"copy": "@m/a/**"}},
		{name: "item is not a map", artifact: map[string]any{"copy": []any{"@m/a/**"}}},
		{name: "from is not a string", artifact: map[string]any{"copy": []any{map[string]any{"from": 1, "to": "@artifact/"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, ok := CommonCopyRoot(tt.artifact); ok {
				t.Error("CommonCopyRoot accepted a malformed artifact")
			}
		})
	}
}
