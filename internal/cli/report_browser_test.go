package cli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browserEnv turns the browser test on; scripts/browser-test.sh sets it.
const browserEnv = "FLUXLINT_BROWSER_TEST"

// TestReportInBrowser opens the HTML report of a real repository in
// headless Chromium, clicks a cluster, a HelmRelease and a finding, checks
// what the page shows, and saves screenshots in $FLUXLINT_SCREENSHOTS (or
// a temporary folder).
func TestReportInBrowser(t *testing.T) {
	if os.Getenv(browserEnv) == "" {
		t.Skip(browserEnv + " is not set: the browser test runs with scripts/browser-test.sh")
	}
	chromium := os.Getenv("FLUXLINT_CHROMIUM")
	if chromium == "" {
		var err error
		if chromium, err = exec.LookPath("chromium"); err != nil {
			t.Skip("chromium is not installed (apt-get install chromium): " + err.Error())
		}
	}
	shots := os.Getenv("FLUXLINT_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	file := filepath.Join(t.TempDir(), "report.html")
	if code, out := runCmd(t, "report", "--offline", "--html", file, exampleCorpus(t)); code != ExitOK {
		t.Fatalf("report exited %d: %s", code, out)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 40*time.Second)
	defer cancel()
	ctx, cancel = chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1400, 900))
	defer cancel()
	ctx, cancel = chromedp.NewContext(ctx)
	defer cancel()

	b := browser{t: t, ctx: ctx, shots: shots}
	b.do(chromedp.Navigate("file://" + file))
	if got := b.eval(`document.querySelectorAll(".cluster-tab").length`); got != "2" {
		t.Fatalf("cluster tabs = %s, want 2", got)
	}

	// A cluster: its graph shows its Kustomizations and HelmReleases.
	b.do(chromedp.Click(chromedp.CSS(`button.cluster-tab[title="clusters/staging"]`)))
	b.want(`document.querySelector(".cluster-tab.active").firstChild.textContent.trim()`, "staging")
	b.want(`String(document.querySelectorAll(".graph:not([hidden]) g.node").length)`, "6")
	b.want(`String(document.querySelectorAll(".graph:not([hidden]) path.edge-dependsOn").length)`, "2")
	b.want(`document.querySelector(".graph:not([hidden]) g.node[data-key='HelmRelease/podinfo/podinfo']").getAttribute("class")`, "node sev-warning")
	b.screenshot("1-cluster-graph.png")

	// A HelmRelease, from the graph: its YAML, source and findings.
	b.do(chromedp.Click(chromedp.CSS(`.graph:not([hidden]) g.node[data-key="HelmRelease/podinfo/podinfo"] rect`)))
	b.want(`document.querySelector("#view-object").hidden ? "hidden" : "shown"`, "shown")
	b.want(`document.querySelector("article.object:not([hidden]) h2").textContent.trim()`, "HelmRelease podinfo/podinfo")
	b.want(`document.querySelector("article.object:not([hidden]) .source").textContent`, "apps/base/podinfo/release.yaml:1:1")
	b.contains(`document.querySelector("article.object:not([hidden]) pre.yaml").textContent`, "kind: HelmRelease")
	b.contains(`document.querySelector("article.object:not([hidden]) .object-findings").textContent`, "policy-helm-chart-version")
	b.want(`document.querySelector(".cluster-tree:not([hidden]) .tree-link.selected .kind").textContent`, "HelmRelease")
	b.screenshot("2-helmrelease.png")

	// A finding, filtered to warnings of one rule: it opens its object.
	b.do(chromedp.Click(chromedp.CSS(`.view-tab[data-view="findings"]`)))
	b.want(`document.querySelector("#filter-cluster").value`, "staging")
	b.do(chromedp.SetValue(chromedp.CSS(`#filter-rule`), "helm-chart-unavailable"))
	b.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#filter-rule").dispatchEvent(new Event("change"))`))
	b.want(`String(document.querySelectorAll("tr.finding:not([hidden])").length)`, "3")
	b.screenshot("3-findings.png")
	b.do(chromedp.Click(chromedp.CSS(`tr.finding:not([hidden])[data-object]:not([data-object=""])`)))
	b.want(`document.querySelector("#finding-detail").hidden ? "hidden" : "shown"`, "shown")
	b.contains(`document.querySelector("#finding-detail").textContent`, "helm-chart-unavailable")
	b.want(`document.querySelector("article.object:not([hidden]) .object-findings li.highlight .rule").textContent`, "[helm-chart-unavailable]")
	b.contains(`document.querySelector("article.object:not([hidden]) h2").textContent`, "HelmRelease ")
	b.screenshot("4-finding.png")

	// Search by name narrows the tree.
	b.do(chromedp.SendKeys(chromedp.CSS(`#search`), "cert-manager"))
	b.want(`String(Array.from(document.querySelectorAll(".cluster-tree:not([hidden]) li.tree-item")).filter(li => !li.hidden && li.querySelector(":scope > a")?.textContent.includes("cert-manager")).length > 0)`, "true")
	b.want(`String(Array.from(document.querySelectorAll(".cluster-tree:not([hidden]) li.tree-item")).some(li => !li.hidden && li.dataset.name.includes("podinfo")))`, "false")
	b.screenshot("5-search.png")

	// The changes of a diff: a HelmRelease's values change in one cluster.
	repo := t.TempDir()
	copyTree(t, exampleCorpus(t), repo)
	gitRepo(t, repo)
	values := filepath.Join(repo, "apps/staging/podinfo-values.yaml")
	data, err := os.ReadFile(values)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(values, []byte(strings.Replace(string(data), "\n  values:\n", "\n  values:\n    replicaCount: 7\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	diffFile := filepath.Join(t.TempDir(), "diff.html")
	if code, out := runCmd(t, "diff", repo, "--base", "HEAD", "--offline", "--html", diffFile); code != ExitOK {
		t.Fatalf("diff exited %d: %s", code, out)
	}
	b.do(chromedp.Navigate("file://" + diffFile))
	b.do(chromedp.Click(chromedp.CSS(`button.cluster-tab[title="clusters/staging"]`)))
	b.do(chromedp.Click(chromedp.CSS(`.view-tab[data-view="changes"]`)))
	b.want(`document.querySelector(".cluster-diff:not([hidden]) h3").textContent.replace(/\s+/g, " ").trim()`,
		"cluster staging clusters/staging: 0 added, 0 removed, 1 changed")
	b.do(chromedp.Click(chromedp.CSS(`.cluster-diff:not([hidden]) details.change-item summary`)))
	b.contains(`document.querySelector(".cluster-diff:not([hidden]) details[open] pre.diff .add").textContent`, "+    replicaCount: 7")
	b.want(`document.querySelector(".cluster-tree:not([hidden]) .tree-link .change-changed").parentElement.dataset.object.length > 0`, "true")
	b.screenshot("6-changes.png")
}

// browser runs steps in one tab and fails the test on an error.
type browser struct {
	t     *testing.T
	ctx   context.Context
	shots string
}

func (b browser) do(a chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, a); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

func (b browser) eval(js string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`String(`+js+`)`))
	if err != nil {
		b.t.Fatalf("browser: %s: %v", js, err)
	}
	return s
}

func (b browser) want(js, want string) {
	b.t.Helper()
	if got := b.eval(js); got != want {
		b.t.Errorf("%s = %q, want %q", js, got, want)
	}
}

func (b browser) contains(js, want string) {
	b.t.Helper()
	if got := b.eval(js); !strings.Contains(got, want) {
		b.t.Errorf("%s = %q, want it to contain %q", js, got, want)
	}
}

func (b browser) screenshot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, name), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", filepath.Join(b.shots, name))
}
