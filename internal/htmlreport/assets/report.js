// fluxlint HTML report: plain JavaScript, no network, no libraries.
(function () {
  "use strict";
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var state = { cluster: "", view: "graph" };

  function clusterName(id) {
    var tab = $("#tab-" + id);
    return tab ? tab.firstChild.textContent.trim() : "";
  }

  function showCluster(id) {
    state.cluster = id;
    $$(".cluster-tab").forEach(function (b) { b.classList.toggle("active", b.dataset.cluster === id); });
    $$(".cluster-tree, .graph").forEach(function (el) { el.hidden = el.dataset.cluster !== id; });
    $$(".cluster-diff").forEach(function (el) { el.hidden = el.dataset.cluster !== "" && el.dataset.cluster !== id; });
    var sel = $("#filter-cluster");
    if (sel) { sel.value = clusterName(id); }
    filterFindings();
  }

  function showView(view) {
    state.view = view;
    $$(".view-tab").forEach(function (b) { b.classList.toggle("active", b.dataset.view === view); });
    $$(".view").forEach(function (el) { el.hidden = el.id !== "view-" + view; });
  }

  function showObject(id, findingIndex) {
    var art = document.getElementById(id);
    if (!art) { return; }
    if (art.dataset.cluster !== state.cluster) { showCluster(art.dataset.cluster); }
    $$(".object").forEach(function (el) { el.hidden = el !== art; });
    $("#no-object").hidden = true;
    $$(".tree-link.selected, .node.selected").forEach(function (el) { el.classList.remove("selected"); });
    $$('[data-object="' + id + '"]').forEach(function (el) {
      if (el.classList.contains("tree-link") || el.classList.contains("node")) { el.classList.add("selected"); }
    });
    $$(".object-findings li", art).forEach(function (li) {
      li.classList.toggle("highlight", findingIndex !== undefined && li.dataset.finding === String(findingIndex));
    });
    if (findingIndex === undefined) { $("#finding-detail").hidden = true; }
    showView("object");
  }

  function showFinding(row) {
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
    box.hidden = false;
    var obj = row.dataset.object;
    (row.dataset.objects || "").split(" ").forEach(function (id) { // prefer the object of the cluster shown
      var art = id && document.getElementById(id);
      if (art && art.dataset.cluster === state.cluster) { obj = id; }
    });
    if (obj) {
      showObject(obj, row.dataset.index);
    } else {
      $$(".object").forEach(function (el) { el.hidden = true; });
      var none = $("#no-object");
      none.hidden = false;
      none.textContent = "This finding names no rendered object.";
      showView("object");
    }
    box.hidden = false;
  }

  function query() { return $("#search").value.trim().toLowerCase(); }

  function filterFindings() {
    var sev = $("#filter-severity").value, rule = $("#filter-rule").value, cluster = $("#filter-cluster").value;
    var q = query(), shown = 0, rows = $$("tr.finding");
    rows.forEach(function (tr) {
      var ok = (!sev || tr.dataset.severity === sev) && (!rule || tr.dataset.rule === rule) &&
        (!cluster || !tr.dataset.cluster || tr.dataset.cluster === cluster) &&
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
    $$(".node").forEach(function (n) { n.classList.toggle("dim", !!q && n.dataset.key.toLowerCase().indexOf(q) < 0); });
    $$("details.change-item").forEach(function (d) { d.hidden = !!q && d.dataset.name.toLowerCase().indexOf(q) < 0; });
    filterFindings();
  }

  function keyToObject(key) {
    var node = $('.graph[data-cluster="' + state.cluster + '"] .node[data-key="' + key.replace(/"/g, '\\"') + '"]');
    if (node) { return node.dataset.object; }
    var link = $$('.cluster-tree[data-cluster="' + state.cluster + '"] li.tree-item').filter(function (li) { return li.dataset.name === key.toLowerCase(); })[0];
    var a = link && $(":scope > a.tree-link", link);
    return a ? a.dataset.object : "";
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target.closest("button, a, .node, tr.finding");
    if (!t) { return; }
    if (t.classList.contains("cluster-tab") || t.classList.contains("tree-cluster")) { showCluster(t.dataset.cluster); showView("graph"); }
    else if (t.classList.contains("view-tab")) { showView(t.dataset.view); }
    else if (t.classList.contains("tree-link") || t.classList.contains("node")) { ev.preventDefault(); showObject(t.dataset.object); }
    else if (t.classList.contains("chain-link")) { ev.preventDefault(); var id = keyToObject(t.dataset.key); if (id) { showObject(id); } }
    else if (t.classList.contains("finding")) { showFinding(t); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && ev.target.matches(".node, tr.finding")) { ev.target.click(); }
  });
  ["#filter-severity", "#filter-rule", "#filter-cluster"].forEach(function (s) { $(s).addEventListener("change", filterFindings); });
  $("#search").addEventListener("input", search);

  var first = $(".cluster-tab");
  if (first) { showCluster(first.dataset.cluster); }
  showView("graph");
  filterFindings();
})();
