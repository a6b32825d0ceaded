package cli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// browserEnv turns the browser tests on; scripts/browser-test.sh sets it.
const browserEnv = "FLUXLINT_BROWSER_TEST"

// newBrowser starts headless Chromium with a 1400×1000 window, or skips the
// test when the browser tests are off or Chromium is missing. Screenshots
// go to $FLUXLINT_SCREENSHOTS (or a temporary folder), each name prefixed
// with prefix.
func newBrowser(t *testing.T, prefix string) browser {
	t.Helper()
	if os.Getenv(browserEnv) == "" {
		t.Skip(browserEnv + " is not set: the browser tests run with scripts/browser-test.sh")
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
	// A generous bound: the machine may be busy; each step waits for
	// nothing but the page.
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1400, 1000))
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(ctx)
	t.Cleanup(cancelTab)
	return browser{t: t, ctx: ctx, shots: shots, prefix: prefix}
}

// browser runs steps in one tab and fails the test on an error.
type browser struct {
	t      *testing.T
	ctx    context.Context
	shots  string
	prefix string
}

func (b browser) do(a chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, a); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// open loads a page and returns the milliseconds from the start of the
// navigation until its script was done.
func (b browser) open(url string) int {
	b.t.Helper()
	b.do(chromedp.Navigate(url))
	ms, err := strconv.Atoi(b.eval(`document.documentElement.dataset.ready || ""`))
	if err != nil {
		b.t.Fatalf("the page's script did not finish: %v", err)
	}
	return ms
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

// click clicks the middle of the first element that sel matches, as a
// person does (pointer events and all).
func (b browser) click(sel string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS(sel)))
}

// wheel turns the mouse wheel over the middle of the graph.
func (b browser) wheel(deltaY float64) {
	b.t.Helper()
	x, y := b.centre("#graph-svg")
	b.do(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseWheel, x, y, func(p *input.DispatchMouseEventParams) {
		p.DeltaX, p.DeltaY = 0.01, deltaY // Chromium wants both, and the JSON leaves a zero out
	}))
}

// drag drags the mouse from the graph's top left corner by dx, dy.
func (b browser) drag(dx, dy float64) {
	b.t.Helper()
	x, y := b.centre("#graph-svg")
	x, y = x-200, y-100
	left := func(p *input.DispatchMouseEventParams) {
		p.Button = input.MouseButtonLeft
		p.Buttons = 1
		p.ClickCount = 1
	}
	b.do(chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x, y, left))
	for i := 1; i <= 5; i++ {
		b.do(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x+dx*float64(i)/5, y+dy*float64(i)/5, left))
	}
	b.do(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x+dx, y+dy, left))
}

// centre returns the middle of an element in the window.
func (b browser) centre(sel string) (float64, float64) {
	b.t.Helper()
	parts := strings.Fields(b.eval(`(r => r.x + r.width / 2 + " " + (r.y + r.height / 2))(document.querySelector(` + strconv.Quote(sel) + `).getBoundingClientRect())`))
	x, _ := strconv.ParseFloat(parts[0], 64)
	y, _ := strconv.ParseFloat(parts[1], 64)
	return x, y
}

func (b browser) screenshot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	file := filepath.Join(b.shots, b.prefix+name)
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", file)
}

// noHorizontalScroll checks that the page is no wider than the window.
func (b browser) noHorizontalScroll(where string) {
	b.t.Helper()
	if got := b.eval(`document.documentElement.scrollWidth <= document.documentElement.clientWidth`); got != "true" {
		b.t.Errorf("%s: the page scrolls sideways: %s px wide in a %s px window", where,
			b.eval(`document.documentElement.scrollWidth`), b.eval(`document.documentElement.clientWidth`))
	}
}

// labelsInside checks that every node of the graph shown holds its
// labels.
func (b browser) labelsInside() {
	b.t.Helper()
	bad := b.eval(`Array.from(document.querySelectorAll("#graph-viewport .node")).filter(n => {
		const r = n.querySelector("rect").getBBox();
		return Array.from(n.querySelectorAll("text")).some(t => { const x = t.getBBox(); return x.x < r.x || x.x + x.width > r.x + r.width + 0.5 || x.y < r.y || x.y + x.height > r.y + r.height; });
	}).map(n => n.dataset.key).join(", ")`)
	if bad != "" {
		b.t.Errorf("labels overflow their boxes: %s", bad)
	}
}

// TestReportInBrowser opens the HTML report of a small real repository in
// headless Chromium, clicks a cluster, a HelmRelease and a finding, checks
// what the page shows, and saves screenshots.
func TestReportInBrowser(t *testing.T) {
	b := newBrowser(t, "small-")
	file := filepath.Join(t.TempDir(), "report.html")
	if code, out := runCmd(t, "report", "--offline", "--html", file, exampleCorpus(t)); code != ExitOK {
		t.Fatalf("report exited %d: %s", code, out)
	}
	b.open("file://" + file)
	if got := b.eval(`document.querySelectorAll(".cluster-tab").length`); got != "2" {
		t.Fatalf("cluster tabs = %s, want 2", got)
	}

	// A cluster: its graph shows its Kustomizations and HelmReleases,
	// ungrouped as the graph is small.
	b.click(`button.cluster-tab[title="clusters/staging"]`)
	b.want(`document.querySelector(".cluster-tab.active").dataset.name`, "staging")
	b.want(`location.hash`, "#cluster=staging")
	b.want(`document.querySelector("#group-by").value`, "none")
	b.want(`document.querySelectorAll("#graph-viewport g.node").length`, "6")
	b.want(`document.querySelectorAll("#graph-viewport path.edge-dependsOn").length`, "2")
	b.want(`document.querySelector("#graph-viewport g.node[data-key='HelmRelease/podinfo/podinfo']").getAttribute("class")`, "node sev-warning")
	b.labelsInside()
	b.screenshot("1-cluster-graph.png")

	// A HelmRelease: a click selects it, the selection bar opens it.
	b.click(`#graph-viewport g.node[data-key="HelmRelease/podinfo/podinfo"] rect`)
	b.contains(`document.querySelector("#graph-selection").textContent`, "HelmRelease podinfo/podinfo")
	b.want(`document.querySelectorAll("#graph-viewport path.edge.hl").length`, "1")
	b.click(`#graph-open`)
	b.want(`document.querySelector("#view-object").hidden ? "hidden" : "shown"`, "shown")
	b.want(`document.querySelector("article.object:not([hidden]) h2").firstChild.textContent.trim()`, "HelmRelease podinfo/podinfo")
	b.want(`document.querySelector("article.object:not([hidden]) .source").textContent`, "apps/base/podinfo/release.yaml:1:1")
	b.want(`document.querySelector("article.object:not([hidden]) .chain").textContent`, "Kustomization/flux-system/apps")
	b.contains(`document.querySelector("article.object:not([hidden]) pre.yaml").textContent`, "kind: HelmRelease")
	b.contains(`document.querySelector("article.object:not([hidden]) .object-findings").textContent`, "policy-helm-chart-version")
	b.want(`document.querySelector(".cluster-tree:not([hidden]) .tree-link.selected .kind").textContent`, "HelmRelease")
	b.want(`decodeURIComponent(location.hash)`, "#cluster=staging&object=HelmRelease/podinfo/podinfo")
	b.screenshot("2-helmrelease.png")

	// Its focus: the Kustomizations it comes from and depends on.
	b.click(`article.object:not([hidden]) .focus-link`)
	b.want(`document.querySelector("#graph-focus").hidden`, "false")
	b.want(`Array.from(document.querySelectorAll("#graph-viewport g.node")).map(n => n.dataset.key).sort().join(" ")`,
		"HelmRelease/podinfo/podinfo Kustomization/flux-system/apps Kustomization/flux-system/infra-configs Kustomization/flux-system/infra-controllers")
	b.click(`#focus-exit`)
	b.want(`document.querySelectorAll("#graph-viewport g.node").length`, "6")

	// A finding, filtered to warnings of one rule: it opens its object.
	b.click(`.view-tab[data-view="findings"]`)
	b.want(`document.querySelector("#filter-cluster").value`, "staging")
	b.do(chromedp.SetValue(chromedp.CSS(`#filter-rule`), "helm-chart-unavailable"))
	b.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#filter-rule").dispatchEvent(new Event("change"))`))
	b.want(`document.querySelectorAll("tr.finding:not([hidden])").length`, "3")
	b.noHorizontalScroll("findings")
	b.screenshot("3-findings.png")
	b.click(`tr.finding:not([hidden])[data-object]:not([data-object=""]) td.msg`)
	b.want(`document.querySelector("#finding-detail").hidden ? "hidden" : "shown"`, "shown")
	b.contains(`document.querySelector("#finding-detail").textContent`, "helm-chart-unavailable")
	b.want(`document.querySelector("article.object:not([hidden]) .object-findings li.highlight .rule").textContent`, "[helm-chart-unavailable]")
	b.contains(`document.querySelector("article.object:not([hidden]) h2").textContent`, "HelmRelease ")
	b.contains(`location.hash`, "#finding=")
	b.screenshot("4-finding.png")

	// Search by name narrows the tree.
	b.do(chromedp.SendKeys(chromedp.CSS(`#search`), "cert-manager"))
	b.want(`Array.from(document.querySelectorAll(".cluster-tree:not([hidden]) li.tree-item")).filter(li => !li.hidden && li.querySelector(":scope > a")?.textContent.includes("cert-manager")).length > 0`, "true")
	b.want(`Array.from(document.querySelectorAll(".cluster-tree:not([hidden]) li.tree-item")).some(li => !li.hidden && li.dataset.name.includes("podinfo"))`, "false")
	b.screenshot("5-search.png")

	testChangesInBrowser(t, b)
}

// testChangesInBrowser opens the report of a diff in which a HelmRelease's
// values change in one cluster.
func testChangesInBrowser(t *testing.T, b browser) {
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
	b.open("file://" + diffFile + "#cluster=staging&view=changes")
	b.want(`document.querySelector(".cluster-tab.active").dataset.name`, "staging")
	b.contains(`document.querySelector("#view-changes h2").textContent`, "Findings, HEAD → working tree: 0 added, 0 removed")
	b.want(`document.querySelector(".cluster-diff:not([hidden]) h3").textContent.replace(/\s+/g, " ").trim()`,
		"cluster staging clusters/staging: 0 added, 0 removed, 1 changed")
	b.click(`.cluster-diff:not([hidden]) details.change-item summary`)
	b.contains(`document.querySelector(".cluster-diff:not([hidden]) details[open] pre.diff .add").textContent`, "+    replicaCount: 7")
	b.want(`document.querySelector(".cluster-tree:not([hidden]) .tree-link .change-changed").parentElement.dataset.object.length > 0`, "true")
	b.screenshot("6-changes.png")
}
