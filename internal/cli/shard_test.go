package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestShardValidation: a bad --shard is a one-line error and exit code 2.
func TestShardValidation(t *testing.T) {
	dir := filepath.Join(corpora, "flux2-multi-tenancy")
	for _, bad := range []string{"0/0", "5/4", "junk", "0/4", "1/"} {
		var stdout, stderr bytes.Buffer
		code := Run(context.Background(), []string{"check", dir, "--offline", "--shard", bad}, &stdout, &stderr)
		msg := strings.TrimSpace(stderr.String())
		if code != ExitError || !strings.Contains(msg, "--shard") || strings.Contains(msg, "\n") {
			t.Errorf("--shard %s: exit %d, stderr %q; want exit 2 and one line naming --shard", bad, code, msg)
		}
	}
}

// findingKey names a finding for comparing runs.
func findingKey(f struct {
	Rule     string
	Severity string
	Message  string
	Cluster  string
	Position struct {
		File   string
		Line   int
		Column int
	}
	Object struct {
		APIVersion string
		Kind       string
	}
}) string {
	return fmt.Sprintf("%s %s %s:%d:%d %s [%s] %s", f.Rule, f.Severity, f.Position.File, f.Position.Line, f.Position.Column, f.Cluster, f.Object.Kind, f.Message)
}

// TestShardUnion: the shards of a real repository with several clusters
// together check every cluster once and find what the unsharded run finds.
// The findings of repository-wide rules that a run reports once (a kind
// without a schema, at its first object) are compared by message: each
// shard reports them once, at its own first object.
func TestShardUnion(t *testing.T) {
	t.Run("discovered", func(t *testing.T) { assertShardUnion(t) })
	// Named clusters are dealt out without a render of the fleet.
	t.Run("named", func(t *testing.T) {
		assertShardUnion(t, "--cluster", "production=clusters/production", "--cluster", "staging=clusters/staging")
	})
}

// assertShardUnion checks that 2 and 3 shards of flux2-multi-tenancy, with
// the given flags, check each cluster once and find what the whole run does.
func assertShardUnion(t *testing.T, flags ...string) {
	t.Helper()
	whole, code := checkCorpus(t, "flux2-multi-tenancy", flags...)
	if whole.Summary.Clusters < 2 {
		t.Fatalf("want a corpus of several clusters, got %+v", whole.Summary)
	}
	var want []string
	wantOnce := map[string]bool{}
	for _, f := range whole.Findings {
		if f.Cluster == "" && f.Rule == "schema-kind-unknown" {
			wantOnce[f.Message] = true
			continue
		}
		want = append(want, findingKey(f))
	}
	var wantClusters []string
	for _, c := range whole.Clusters {
		wantClusters = append(wantClusters, c.Name)
	}
	for _, n := range []int{2, 3} {
		var got, clusters []string
		gotOnce := map[string]bool{}
		worst := 0
		for i := 1; i <= n; i++ {
			part, c := checkCorpus(t, "flux2-multi-tenancy", append([]string{"--shard", fmt.Sprintf("%d/%d", i, n)}, flags...)...)
			worst = max(worst, c)
			for _, cl := range part.Clusters {
				clusters = append(clusters, cl.Name)
			}
			for _, f := range part.Findings {
				if f.Cluster == "" && f.Rule == "schema-kind-unknown" {
					gotOnce[f.Message] = true
					continue
				}
				got = append(got, findingKey(f))
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		slices.Sort(clusters)
		slices.Sort(wantClusters)
		if !slices.Equal(clusters, wantClusters) {
			t.Errorf("%d shards checked clusters %v, want each of %v once", n, clusters, wantClusters)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%d shards found\n%s\nwant\n%s", n, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if len(gotOnce) != len(wantOnce) {
			t.Errorf("%d shards: kinds without a schema %v, want %v", n, gotOnce, wantOnce)
		}
		if worst != code {
			t.Errorf("%d shards: worst exit code %d, want %d", n, worst, code)
		}
	}
}

// TestShardOutputs: the text summary names the shard, and SARIF output
// gives each shard a category of its own.
func TestShardOutputs(t *testing.T) {
	dir := filepath.Join(corpora, "flux2-multi-tenancy")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	var stdout, stderr bytes.Buffer
	sarif := filepath.Join(t.TempDir(), "out.sarif")
	code := Run(context.Background(), []string{"check", dir, "--offline", "--no-color", "--shard", "2/2", "--format", "text", "--format", "sarif=" + sarif}, &stdout, &stderr)
	if code == ExitError {
		t.Fatalf("exit 2: %s", stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "shard 2/2: 1 clusters,") {
		t.Errorf("summary %q, want it to name shard 2/2 of one cluster", last)
	}
	data, err := os.ReadFile(sarif)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			AutomationDetails struct{ ID string } `json:"automationDetails"`
		}
	}
	if err := json.Unmarshal(data, &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("sarif: %v, %d runs", err, len(log.Runs))
	}
	if id := log.Runs[0].AutomationDetails.ID; id != "fluxlint/shard-2-of-2/" {
		t.Errorf("automationDetails.id %q, want fluxlint/shard-2-of-2/", id)
	}
}
