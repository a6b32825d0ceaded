package cli

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/fluxlint/fluxlint/internal/monorepo"
)

// generatedReport writes the repository that tools/genrepo makes for
// clusters × apps, with edit applied to its files, and returns the path of
// its HTML report.
func generatedReport(t *testing.T, clusters, apps int, edit func(map[string]string)) string {
	t.Helper()
	files := monorepo.Generate(clusters, apps)
	if edit != nil {
		edit(files)
	}
	repo := filepath.Join(t.TempDir(), "repo")
	if err := monorepo.Write(repo, files); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "report.html")
	if code, out := runCmd(t, "report", "--offline", "--html", file, repo); code != ExitOK {
		t.Fatalf("report exited %d: %s", code, out)
	}
	return file
}

// viewScale returns the graph's zoom and position, as "s tx ty".
func (b browser) viewScale() []float64 {
	b.t.Helper()
	m := strings.NewReplacer("translate(", "", ")", " ", "scale(", "", ",", " ").Replace(b.eval(`document.querySelector("#graph-viewport").getAttribute("transform")`))
	var out []float64
	for _, f := range strings.Fields(m) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			b.t.Fatalf("transform %q: %v", m, err)
		}
		out = append(out, v)
	}
	return []float64{out[2], out[0], out[1]}
}

// TestReportAtScale opens the report of a generated cluster of 100 Flux
// Kustomizations (each with a HelmRelease of a local chart; 1,205 objects)
// in headless Chromium: the graph is grouped by namespace, a group
// collapses, the graph zooms and pans, labels stay in their boxes, a focus
// shows one object's chain, addresses open an object and a finding, and
// no view scrolls sideways at 1400 px. It logs how long the page takes to
// open.
func TestReportAtScale(t *testing.T) {
	b := newBrowser(t, "scale-")
	file := generatedReport(t, 1, 100, func(files map[string]string) {
		svc := "apps/base/app-0042/service.yaml"
		files[svc] = strings.Replace(files[svc], "port: 80", `port: "eighty"`, 1)
	})
	ms := b.open("file://" + file)
	t.Logf("the report of a cluster of %s objects opened in %d ms (%s bytes)", b.eval(`document.querySelectorAll("article.object").length`), ms,
		b.eval(`document.documentElement.outerHTML.length`))

	b.want(`document.querySelector("#group-by").value`, "namespace")
	b.want(`document.querySelectorAll("#graph-viewport .group").length`, "101")
	b.want(`document.querySelectorAll("#graph-viewport .node").length`, "201")
	b.want(`document.querySelector("#cross-edges").checked`, "false")
	b.want(`document.querySelectorAll("#graph-viewport .edge.cross").length`, "0")
	b.labelsInside()
	b.noHorizontalScroll("graph")
	b.screenshot("1-graph.png")

	// A group collapses to its title, and expands again.
	b.click(`#graph-viewport .group-head[data-group="ns:flux-system"] text`)
	b.want(`document.querySelector('#graph-viewport .group[data-group="ns:flux-system"]').classList.contains("collapsed")`, "true")
	b.want(`document.querySelectorAll("#graph-viewport .node").length`, "100")
	b.screenshot("2-collapsed.png")
	b.click(`#expand-all`)
	b.want(`document.querySelectorAll("#graph-viewport .node").length`, "201")

	// The edges between groups, on demand.
	b.click(`#cross-edges`)
	b.want(`document.querySelectorAll("#graph-viewport .edge.cross").length`, "100")
	b.click(`#cross-edges`)

	// Zoom and pan, with the buttons, the wheel and a drag.
	before := b.viewScale()
	b.click(`#zoom-in`)
	if after := b.viewScale(); after[0] <= before[0] {
		t.Errorf("zoom in: scale %v -> %v", before[0], after[0])
	}
	before = b.viewScale()
	b.wheel(400)
	if after := b.viewScale(); after[0] >= before[0] {
		t.Errorf("wheel down: scale %v -> %v, want smaller", before[0], after[0])
	}
	before = b.viewScale()
	b.drag(120, 80)
	if after := b.viewScale(); math.Abs(after[1]-before[1]-120) > 0.5 || math.Abs(after[2]-before[2]-80) > 0.5 || after[0] != before[0] {
		t.Errorf("drag by 120,80: view %v -> %v", before, after)
	}
	b.click(`#zoom-fit`)
	b.screenshot("3-fit.png")

	// Focus: one HelmRelease, its Kustomization; the address keeps it.
	b.open("file://" + file + "#cluster=cluster-00&focus=HelmRelease/app-0042/app-0042")
	b.want(`document.querySelector("#graph-focus").hidden`, "false")
	b.want(`Array.from(document.querySelectorAll("#graph-viewport .node")).map(n => n.dataset.key).sort().join(" ")`,
		"HelmRelease/app-0042/app-0042 Kustomization/flux-system/app-0042")
	b.labelsInside()
	b.screenshot("4-focus.png")

	// Addresses: an object, a finding.
	b.open("file://" + file + "#cluster=cluster-00&object=Service/app-0042/app-0042")
	b.want(`document.querySelector("#view-object").hidden`, "false")
	b.want(`document.querySelector("article.object:not([hidden])").dataset.key`, "Service/app-0042/app-0042")
	b.noHorizontalScroll("object")
	key := b.eval(`document.querySelector("tr.finding[data-rule='schema-invalid']").dataset.key`)
	b.open("file://" + file + "#finding=" + key)
	b.want(`document.querySelector("#finding-detail").hidden`, "false")
	b.contains(`document.querySelector("#finding-detail").textContent`, "schema-invalid")
	b.want(`document.querySelector("article.object:not([hidden])").dataset.key`, "Service/app-0042/app-0042")
	b.screenshot("5-finding.png")

	b.click(`.view-tab[data-view="findings"]`)
	b.noHorizontalScroll("findings")
	b.want(`Array.from(document.querySelectorAll("tr.finding:not([hidden]) td.msg")).every(td => td.getBoundingClientRect().right <= window.innerWidth)`, "true")
}

// TestReportClusterPicker opens the report of eight generated clusters: a
// picker with a search box stands for the tabs, and filters them.
func TestReportClusterPicker(t *testing.T) {
	b := newBrowser(t, "picker-")
	file := generatedReport(t, 8, 2, nil)
	b.open("file://" + file)
	b.want(`document.querySelectorAll(".cluster-tab").length`, "0")
	b.want(`document.querySelector("#cluster-current-name").textContent`, "cluster-00")
	b.want(`document.querySelector("#top").getBoundingClientRect().height < 60`, "true")
	b.click(`#cluster-current`)
	b.want(`document.querySelector("#cluster-menu").hidden`, "false")
	b.want(`document.querySelectorAll(".cluster-option").length`, "8")
	b.do(chromedp.SendKeys(chromedp.CSS(`#cluster-filter`), "cluster-05"))
	b.want(`Array.from(document.querySelectorAll(".cluster-option")).filter(o => !o.parentElement.hidden).map(o => o.dataset.name).join(" ")`, "cluster-05")
	b.screenshot("1-filtered.png")
	b.do(chromedp.SendKeys(chromedp.CSS(`#cluster-filter`), "\r"))
	b.want(`document.querySelector("#cluster-menu").hidden`, "true")
	b.want(`document.querySelector("#cluster-current-name").textContent`, "cluster-05")
	b.want(`location.hash`, "#cluster=cluster-05")
	b.want(`document.querySelector(".cluster-tree:not([hidden]) .tree-cluster").textContent`, "cluster cluster-05 clusters/cluster-05")
	b.click(`#cluster-current`)
	b.do(chromedp.SendKeys(chromedp.CSS(`#cluster-filter`), "nothing-like-it"))
	b.want(`document.querySelector("#cluster-none").hidden`, "false")
	b.screenshot("2-none.png")
}

// TestReportCorpusAtScale opens the report of a real home-lab repository
// (one cluster, about a hundred Kustomizations and eighty HelmReleases).
func TestReportCorpusAtScale(t *testing.T) {
	corpus := filepath.Join(corpora, "buroa-k8s-gitops")
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	b := newBrowser(t, "corpus-")
	file := filepath.Join(t.TempDir(), "report.html")
	if code, out := runCmd(t, "report", "--offline", "--html", file, corpus); code != ExitOK {
		t.Fatalf("report exited %d: %s", code, out)
	}
	ms := b.open("file://" + file)
	t.Logf("the report of %s objects opened in %d ms", b.eval(`document.querySelectorAll("article.object").length`), ms)
	b.want(`document.querySelector("#group-by").value`, "namespace")
	b.labelsInside()
	b.noHorizontalScroll("graph")
	b.screenshot("1-graph.png")

	groups := b.eval(`document.querySelectorAll("#graph-viewport .group").length`)
	b.click(`#collapse-all`)
	b.want(`document.querySelectorAll("#graph-viewport .group.collapsed").length`, groups)
	b.want(`document.querySelectorAll("#graph-viewport .node").length`, "0")
	b.screenshot("2-collapsed.png")
	b.click(`#graph-viewport .group-head[data-group="ns:cert-manager"] text`)
	b.want(`document.querySelectorAll("#graph-viewport .node").length`, "3")

	b.click(`.view-tab[data-view="findings"]`)
	b.noHorizontalScroll("findings")
	b.want(`Array.from(document.querySelectorAll("tr.finding td.cluster")).every(td => td.textContent.trim() !== "")`, "true")
	b.want(`Array.from(document.querySelectorAll("tr.finding:not([hidden]) td.msg")).every(td => td.getBoundingClientRect().right <= window.innerWidth)`, "true")
	b.screenshot("3-findings.png")
	key := b.eval(`document.querySelector("tr.finding[data-severity='warning']").dataset.key`)
	b.open("file://" + file + "#finding=" + key)
	b.want(`document.querySelector("#finding-detail").hidden`, "false")
	b.want(`document.querySelector("tr.finding.selected").dataset.key`, key)
	b.screenshot("4-finding.png")
}
