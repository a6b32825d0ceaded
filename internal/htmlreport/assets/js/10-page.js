// fluxlint HTML report: plain JavaScript, no network, no libraries. The
// files of assets/js are joined in name order inside one function.
//
// This file: the page's state, the address (#cluster=…&object=…,
// #finding=…), the cluster tabs or picker, the tree, objects and findings.
"use strict";
var $ = function (sel, root) { return (root || document).querySelector(sel); };
var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
var state = { cluster: "", view: "graph" };

function clusterButton(id) { return $('[data-cluster="' + id + '"][data-name]'); }
function clusterName(id) { var b = clusterButton(id); return b ? b.dataset.name : ""; }
function clusterByName(name) {
  var b = $$("[data-cluster][data-name]").filter(function (el) { return el.dataset.name === name; })[0];
  return b ? b.dataset.cluster : "";
}

// setHash records where the reader is, so that the address can be shared.
function setHash(params) {
  var parts = [];
  Object.keys(params).forEach(function (k) {
    if (params[k]) { parts.push(k + "=" + encodeURIComponent(params[k]).replace(/%2F/g, "/")); }
  });
  var h = "#" + parts.join("&");
  if (location.hash !== h) { history.replaceState(null, "", h); }
}

function showCluster(id, keepHash) {
  if (!clusterName(id)) { return; }
  state.cluster = id;
  $$(".cluster-tab").forEach(function (b) { b.classList.toggle("active", b.dataset.cluster === id); });
  $$(".cluster-option").forEach(function (b) { b.setAttribute("aria-selected", String(b.dataset.cluster === id)); });
  var current = $("#cluster-current-name");
  if (current) { current.textContent = clusterName(id); }
  $$(".cluster-tree").forEach(function (el) { el.hidden = el.dataset.cluster !== id; });
  $$(".cluster-diff").forEach(function (el) { el.hidden = el.dataset.cluster !== "" && el.dataset.cluster !== id; });
  var sel = $("#filter-cluster");
  if (sel) { sel.value = clusterName(id); }
  filterFindings();
  graphShowCluster(id);
  if (!keepHash) { setHash({ cluster: clusterName(id) }); }
}

function showView(view, keepHash) {
  if (!$("#view-" + view)) { return; }
  state.view = view;
  $$(".view-tab").forEach(function (b) { b.classList.toggle("active", b.dataset.view === view); });
  $$(".view").forEach(function (el) { el.hidden = el.id !== "view-" + view; });
  if (view === "graph") { graphShown(); }
  if (!keepHash && (view === "findings" || view === "changes")) { setHash({ cluster: clusterName(state.cluster), view: view }); }
}

function showObject(id, findingIndex, keepHash) {
  var art = document.getElementById(id);
  if (!art || !art.classList.contains("object")) { return; }
  if (art.dataset.cluster !== state.cluster) { showCluster(art.dataset.cluster, true); }
  $$(".object").forEach(function (el) { el.hidden = el !== art; });
  $("#no-object").hidden = true;
  $$(".tree-link.selected").forEach(function (el) { el.classList.remove("selected"); });
  var link = $('.tree-link[data-object="' + id + '"]');
  if (link) {
    link.classList.add("selected");
    var tree = $("#tree"), box = link.getBoundingClientRect(), view = tree.getBoundingClientRect();
    if (box.top < view.top || box.bottom > view.bottom) { tree.scrollTop += box.top - view.top - view.height / 3; }
  }
  $$(".object-findings li", art).forEach(function (li) {
    li.classList.toggle("highlight", findingIndex !== undefined && li.dataset.finding === String(findingIndex));
  });
  if (findingIndex === undefined) { $("#finding-detail").hidden = true; }
  showView("object", true);
  graphSelectKey(art.dataset.key);
  if (!keepHash) { setHash({ cluster: clusterName(art.dataset.cluster), object: art.dataset.key }); }
}

function showFinding(row, keepHash) {
  var box = $("#finding-detail");
  box.className = "sev-" + row.dataset.severity;
  box.textContent = "";
  var head = document.createElement("div");
  head.innerHTML = "<span class=sev></span> <span class=pos></span> <span class=rule></span>";
  head.children[0].textContent = row.dataset.severity;
  head.children[1].textContent = $(".pos", row).textContent;
  head.children[2].textContent = "[" + row.dataset.rule + "]";
  box.appendChild(head);
  var msg = document.createElement("div");
  msg.className = "message";
  msg.textContent = $(".msg", row).firstChild ? $(".msg", row).firstChild.textContent : "";
  box.appendChild(msg);
  var hint = $(".hint", row);
  if (hint) {
    var h = document.createElement("div");
    h.className = "hint";
    h.textContent = "hint: " + hint.textContent;
    box.appendChild(h);
  }
  var obj = row.dataset.object;
  (row.dataset.objects || "").split(" ").forEach(function (id) { // prefer the object of the cluster shown
    var art = id && document.getElementById(id);
    if (art && art.dataset.cluster === state.cluster) { obj = id; }
  });
  if (obj) {
    showObject(obj, row.dataset.index, true);
  } else {
    if (row.dataset.cluster && clusterByName(row.dataset.cluster)) { showCluster(clusterByName(row.dataset.cluster), true); }
    $$(".object").forEach(function (el) { el.hidden = true; });
    var none = $("#no-object");
    none.hidden = false;
    none.textContent = "This finding names no rendered object.";
    showView("object", true);
  }
  $$("tr.finding.selected").forEach(function (tr) { tr.classList.remove("selected"); });
  row.classList.add("selected");
  box.hidden = false;
  if (!keepHash) { setHash({ finding: row.dataset.key }); }
}

function query() { return $("#search").value.trim().toLowerCase(); }

function filterFindings() {
  var sev = $("#filter-severity").value, rule = $("#filter-rule").value, cluster = $("#filter-cluster").value;
  var onlyNew = $("#filter-new") && $("#filter-new").checked;
  var q = query(), shown = 0, rows = $$("tr.finding");
  rows.forEach(function (tr) {
    var ok = (!sev || tr.dataset.severity === sev) && (!rule || tr.dataset.rule === rule) &&
      (!cluster || !tr.dataset.cluster || tr.dataset.cluster === cluster) &&
      (!onlyNew || tr.dataset.new === "1") &&
      (!q || tr.textContent.toLowerCase().indexOf(q) >= 0);
    tr.hidden = !ok;
    if (ok) { shown++; }
  });
  $("#findings-shown").textContent = shown + " of " + rows.length + " shown";
}

function search() {
  var q = query();
  $$(".cluster-tree").forEach(function (tree) {
    var items = $$("li.tree-item", tree).reverse(); // children before parents
    items.forEach(function (li) {
      var self = !q || li.dataset.name.indexOf(q) >= 0;
      var child = $$(":scope > ul > li.tree-item", li).some(function (c) { return !c.hidden; });
      li.hidden = !(self || child);
    });
  });
  graphSearch(q);
  $$("details.change-item").forEach(function (d) { d.hidden = !!q && d.dataset.name.toLowerCase().indexOf(q) < 0; });
  filterFindings();
}

// objectOfKey returns the panel of the object Kind/namespace/name in the
// cluster shown.
function objectOfKey(key, cluster) {
  return $$('article.object[data-cluster="' + (cluster || state.cluster) + '"]').filter(function (a) { return a.dataset.key === key; })[0];
}

// applyHash opens what the address names: a cluster, an object, a focus,
// a view or a finding.
function applyHash() {
  var params = {};
  location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
    var i = kv.indexOf("=");
    if (i > 0) { params[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); }
  });
  if (params.finding) {
    var row = document.getElementById("finding-" + params.finding);
    if (row) { showFinding(row, true); return true; }
  }
  var id = params.cluster && clusterByName(params.cluster);
  if (!id) {
    var legacy = location.hash.slice(1) && document.getElementById(location.hash.slice(1)); // #c0-o12, the tree's links
    if (legacy && legacy.classList.contains("object")) { showObject(legacy.id, undefined, true); return true; }
    return false;
  }
  showCluster(id, true);
  var art = params.object && objectOfKey(params.object, id);
  if (art) { showObject(art.id, undefined, true); return true; }
  if (params.focus) { showView("graph", true); graphFocusKey(params.focus); return true; }
  showView(params.view || "graph", true);
  return true;
}

function setupPicker() {
  var picker = $("#cluster-picker");
  if (!picker) { return; }
  var menu = $("#cluster-menu"), filter = $("#cluster-filter"), current = $("#cluster-current");
  function open(on) {
    menu.hidden = !on;
    current.setAttribute("aria-expanded", String(on));
    if (on) { filter.value = ""; narrow(); filter.focus(); }
  }
  function narrow() {
    var q = filter.value.trim().toLowerCase(), shown = 0;
    $$(".cluster-option", menu).forEach(function (b) {
      var ok = !q || b.dataset.search.indexOf(q) >= 0;
      b.parentElement.hidden = !ok;
      if (ok) { shown++; }
    });
    $("#cluster-none").hidden = shown > 0;
  }
  current.addEventListener("click", function () { open(menu.hidden); });
  filter.addEventListener("input", narrow);
  filter.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { open(false); current.focus(); }
    if (ev.key === "Enter") {
      var first = $$(".cluster-option", menu).filter(function (b) { return !b.parentElement.hidden; })[0];
      if (first) { first.click(); }
    }
  });
  menu.addEventListener("click", function (ev) {
    var b = ev.target.closest(".cluster-option");
    if (b) { open(false); showCluster(b.dataset.cluster); showView("graph"); }
  });
  document.addEventListener("click", function (ev) {
    if (!menu.hidden && !picker.contains(ev.target)) { open(false); }
  });
}

function onClick(ev) {
  var t = ev.target.closest("button, a, tr.finding");
  if (!t || t.closest("#cluster-picker")) { return; }
  if (t.tagName === "A" && t.target === "_blank") { return; } // the rule's documentation
  if (t.classList.contains("cluster-tab") || t.classList.contains("tree-cluster")) { showCluster(t.dataset.cluster); showView("graph"); }
  else if (t.classList.contains("view-tab")) { showView(t.dataset.view); }
  else if (t.classList.contains("tree-link")) { ev.preventDefault(); showObject(t.dataset.object); }
  else if (t.classList.contains("chain-link")) {
    ev.preventDefault();
    var art = objectOfKey(t.dataset.key);
    if (art) { showObject(art.id); }
  }
  else if (t.classList.contains("focus-link")) { showView("graph", true); graphFocusKey(t.dataset.key); }
  else if (t.classList.contains("finding-link")) {
    ev.preventDefault();
    var row = document.getElementById("finding-" + t.dataset.key);
    if (row) { showFinding(row); }
  }
  else if (t.classList.contains("finding")) { showFinding(t); }
}

function setupPage() {
  document.addEventListener("click", onClick);
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && ev.target.matches("tr.finding")) { ev.target.click(); }
  });
  ["#filter-severity", "#filter-rule", "#filter-cluster", "#filter-new"].forEach(function (s) {
    if ($(s)) { $(s).addEventListener("change", filterFindings); }
  });
  $("#search").addEventListener("input", search);
  window.addEventListener("hashchange", applyHash);
  setupPicker();
  setupGraph();
  if (!applyHash()) {
    var first = $("[data-cluster][data-name]");
    if (first) { showCluster(first.dataset.cluster, true); }
    showView("graph", true);
  }
  filterFindings();
  document.documentElement.dataset.ready = String(Math.round(performance.now()));
}
