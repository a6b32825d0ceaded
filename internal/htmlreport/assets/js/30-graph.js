// The graph view: each cluster's Flux objects grouped by namespace or by
// parent Kustomization, groups that collapse, zoom and pan, and a focus on
// one object's dependencies and dependants.

var SVGNS = "http://www.w3.org/2000/svg";
// FAN is the number of objects that one Flux object renders into a group
// above which its edges to them are drawn only when it is selected.
var FAN = 8;
var graphData = {};
var gv = { cluster: "", per: {} };
// SMALL is the largest graph drawn ungrouped at first.
var SMALL = 30;

function svgEl(name, attrs, parent) {
  var el = document.createElementNS(SVGNS, name);
  Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
  if (parent) { parent.appendChild(el); }
  return el;
}

function sevRank(s) { return { error: 3, warning: 2, info: 1 }[s] || 0; }

// graphState returns the view state of a cluster's graph, made on first use.
function graphState(id) {
  if (gv.per[id]) { return gv.per[id]; }
  var g = graphData[id] || { nodes: [], edges: [] };
  g.nodes = g.nodes || [];
  g.edges = g.edges || [];
  var byKey = {}, out = [], inn = [];
  g.nodes.forEach(function (n, i) { byKey[n.key] = i; out.push([]); inn.push([]); });
  g.edges.forEach(function (e) { out[e.from].push(e.to); inn[e.to].push(e.from); });
  var depth = g.nodes.map(function (n) {
    var d = 0, seen = {}, p = n.parent;
    while (p && byKey[p] !== undefined && !seen[p]) { seen[p] = true; d++; p = g.nodes[byKey[p]].parent; }
    return d;
  });
  var st = { id: id, g: g, byKey: byKey, out: out, inn: inn, depth: depth, collapsed: {}, focus: -1, selected: -1,
    groupBy: g.nodes.length <= SMALL ? "none" : "namespace",
    cross: g.nodes.length <= 40, autoCollapse: g.nodes.length > 400, view: null, dirty: true, query: "" };
  gv.per[id] = st;
  return st;
}

function groupKey(st, i) {
  var n = st.g.nodes[i];
  return st.groupBy === "parent" ? "p:" + (n.parent || "") : "ns:" + (n.ns || "");
}

function groupLabel(key) {
  var v = key.slice(key.indexOf(":") + 1);
  if (key.charAt(0) === "n") { return v ? "namespace " + v : "cluster-scoped"; }
  return v ? "rendered by " + v : "the cluster's entry folder";
}

// closure returns the object, every object it depends on or that rendered
// it (transitively), and every object that depends on it or that it
// rendered.
function closure(st, start) {
  var seen = {};
  seen[start] = true;
  [st.out, st.inn].forEach(function (adj) {
    var queue = [start], mark = {};
    mark[start] = true;
    while (queue.length) {
      var v = queue.shift();
      adj[v].forEach(function (w) { if (!mark[w]) { mark[w] = true; seen[w] = true; queue.push(w); } });
    }
  });
  return Object.keys(seen).map(Number).sort(function (a, b) { return a - b; });
}

function nodeBox(st, i, withNS) {
  var n = st.g.nodes[i], top = n.kind + (withNS && n.ns ? " · " + n.ns : "") + (n.change ? " · " + n.change : "");
  var b = nodeSize(top, n.name);
  b.i = i;
  b.id = "n" + i;
  return b;
}

// layout places the nodes: in focus, the focused object's closure in one
// layered drawing, and so the whole graph ungrouped; otherwise each group
// laid out alone, and the groups in rows as wide as the window.
function layout(st, width) {
  var g = st.g, L = { anchor: {}, groupOf: {}, groups: [], boxes: [], groupBox: {}, inSet: null, w: 0, h: 0 };
  if (st.focus >= 0 || st.groupBy === "none") {
    var set = st.focus >= 0 ? closure(st, st.focus) : g.nodes.map(function (n, i) { return i; }), local = {}, boxes = [];
    L.inSet = {};
    set.forEach(function (i, k) { local[i] = k; L.inSet[i] = true; boxes.push(nodeBox(st, i, true)); });
    var edges = g.edges.filter(function (e) { return L.inSet[e.from] && L.inSet[e.to]; })
      .map(function (e) { return [local[e.from], local[e.to]]; });
    var size = layered(boxes, edges);
    boxes.forEach(function (b) { L.anchor[b.i] = b; L.groupOf[b.i] = ""; });
    L.boxes = boxes;
    L.w = size.w;
    L.h = size.h;
    return L;
  }
  var byGroup = {}, order = [];
  g.nodes.forEach(function (n, i) {
    var k = groupKey(st, i);
    if (!byGroup[k]) { byGroup[k] = []; order.push(k); }
    byGroup[k].push(i);
    L.groupOf[i] = k;
  });
  if (st.autoCollapse) {
    order.forEach(function (k) { st.collapsed[k] = !byGroup[k].some(function (i) { return st.depth[i] === 0; }); });
    st.autoCollapse = false;
  }
  var groups = order.map(function (k) {
    var members = byGroup[k], worst = "", kinds = {};
    members.forEach(function (i) {
      var n = g.nodes[i];
      if (sevRank(n.worst) > sevRank(worst)) { worst = n.worst; }
      kinds[n.kind] = (kinds[n.kind] || 0) + 1;
    });
    var summary = Object.keys(kinds).sort().map(function (kind) { return kinds[kind] + " " + kind + (kinds[kind] > 1 ? "s" : ""); }).join(", ");
    return { key: k, id: "g" + k, label: groupLabel(k), members: members, worst: worst, summary: summary, collapsed: !!st.collapsed[k],
      depth: Math.min.apply(null, members.map(function (i) { return st.depth[i]; })) };
  });
  groups.sort(function (a, b) { return (a.depth - b.depth) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0); });
  groups.forEach(function (gr) { layoutGroup(st, gr, L); });
  var size = shelves(groups, Math.max(width, 600));
  groups.forEach(function (gr) {
    L.groupBox[gr.key] = gr;
    gr.boxes.forEach(function (b) { b.x += gr.x + GROUP_PAD; b.y += gr.y + GROUP_HEAD; L.boxes.push(b); });
    gr.members.forEach(function (i) { if (gr.collapsed) { L.anchor[i] = gr; } });
  });
  L.boxes.forEach(function (b) { L.anchor[b.i] = b; });
  L.groups = groups;
  L.w = size.w;
  L.h = size.h;
  return L;
}

// layoutGroup sizes a group: its title, and its members unless collapsed.
function layoutGroup(st, gr, L) {
  var title = textWidth("▾ " + gr.label + "  " + gr.members.length, FONT_NAME) + 2 * GROUP_PAD + 8;
  gr.boxes = [];
  if (gr.collapsed) {
    gr.w = Math.ceil(Math.max(title, textWidth(gr.summary, FONT_KIND) + 2 * GROUP_PAD, 160));
    gr.h = GROUP_HEAD + 22;
    return;
  }
  var local = {};
  gr.members.forEach(function (i, k) { local[i] = k; gr.boxes.push(nodeBox(st, i, st.groupBy === "parent")); });
  var edges = st.g.edges.filter(function (e) { return L.groupOf[e.from] === gr.key && L.groupOf[e.to] === gr.key; })
    .map(function (e) { return [local[e.from], local[e.to]]; });
  var size = layered(gr.boxes, edges);
  gr.w = Math.ceil(Math.max(size.w + 2 * GROUP_PAD, title));
  gr.h = GROUP_HEAD + size.h + GROUP_PAD;
}

// visibleEdges returns the edges to draw, between nodes or collapsed
// groups, merged when several join the same two boxes.
function visibleEdges(st, L) {
  var g = st.g, fan = {}, out = [], seen = {};
  g.edges.forEach(function (e) {
    if (e.kind === "produces") { var k = e.from + ">" + L.groupOf[e.to]; fan[k] = (fan[k] || 0) + 1; }
  });
  g.edges.forEach(function (e) {
    if (L.inSet && !(L.inSet[e.from] && L.inSet[e.to])) { return; }
    var a = L.anchor[e.from], b = L.anchor[e.to];
    if (!a || !b || a === b) { return; }
    var touches = e.from === st.selected || e.to === st.selected;
    var ga = L.groupOf[e.from], gb = L.groupOf[e.to], grouped = !L.inSet;
    var cross = grouped && ga !== gb;
    var hub = grouped && !cross && e.kind === "produces" && fan[e.from + ">" + gb] > FAN;
    if (grouped && st.groupBy === "parent" && e.kind === "produces" && gb === "p:" + g.nodes[e.from].key && !touches) {
      b = L.groupBox[gb]; // the group is what its parent rendered: one edge to it
    }
    if (((cross && !st.cross) || hub) && !touches) { return; }
    var id = a.id + ">" + b.id + ":" + e.kind;
    if (seen[id]) { seen[id].count++; seen[id].hl = seen[id].hl || touches; return; }
    seen[id] = { a: a, b: b, kind: e.kind, cross: cross, hl: touches, count: 1,
      title: g.nodes[e.from].key + (e.kind === "dependsOn" ? " is needed by " : " produces ") + g.nodes[e.to].key };
    out.push(seen[id]);
  });
  return out;
}
