// Drawing the graph, and what the reader does with it: select, open,
// focus, collapse, zoom and pan.

function canvasSize() {
  var c = $("#graph-canvas");
  return { w: c.clientWidth, h: c.clientHeight };
}

function graphVisible() { return !$("#view-graph").hidden && canvasSize().w > 0; }

function current() { return gv.cluster ? graphState(gv.cluster) : null; }

function draw(st) {
  var vp = $("#graph-viewport");
  vp.textContent = "";
  st.dirty = false;
  $("#graph-empty").hidden = st.g.nodes.length > 0;
  $("#graph-svg").style.display = st.g.nodes.length ? "" : "none";
  if (!st.g.nodes.length) { return; }
  var flat = st.focus >= 0 || st.groupBy === "none";
  ["#collapse-all", "#expand-all", "#cross-edges", "#group-by"].forEach(function (sel) { $(sel).disabled = flat && (sel !== "#group-by" || st.focus >= 0); });
  var L = st.layout = layout(st, canvasSize().w - 40);
  var layers = { groups: svgEl("g", { "class": "groups" }, vp), edges: svgEl("g", { "class": "edges" }, vp), nodes: svgEl("g", { "class": "nodes" }, vp) };
  st.layers = layers;
  L.groups.forEach(function (gr) { drawGroup(gr, layers.groups); });
  L.boxes.forEach(function (b) { drawNode(st, b, layers.nodes); });
  drawEdges(st);
  if (!st.view) { st.view = initialView(L); }
  applyView(st);
  graphSearch(st.query);
  updateBars(st);
}

function drawGroup(gr, parent) {
  var g = svgEl("g", { "class": "group sev-" + (gr.worst || "none") + (gr.collapsed ? " collapsed" : ""), "data-group": gr.key }, parent);
  svgEl("rect", { "class": "frame", x: gr.x, y: gr.y, width: gr.w, height: gr.h, rx: 8 }, g);
  var head = svgEl("g", { "class": "group-head", tabindex: "0", role: "button", "aria-expanded": String(!gr.collapsed), "data-group": gr.key }, g);
  svgEl("title", {}, head).textContent = gr.label + ": " + gr.summary + " (click to " + (gr.collapsed ? "expand" : "collapse") + ")";
  svgEl("rect", { "class": "head-bg", x: gr.x, y: gr.y, width: gr.w, height: GROUP_HEAD - 4, rx: 8 }, head);
  var t = svgEl("text", { "class": "group-title", x: gr.x + GROUP_PAD, y: gr.y + 17 }, head);
  t.textContent = (gr.collapsed ? "▸ " : "▾ ") + gr.label + "  " + gr.members.length;
  if (gr.collapsed) {
    svgEl("text", { "class": "group-summary", x: gr.x + GROUP_PAD, y: gr.y + GROUP_HEAD + 12 }, g).textContent = gr.summary;
  }
}

function drawNode(st, b, parent) {
  var n = st.g.nodes[b.i];
  var cls = "node sev-" + (n.worst || "none") + (b.i === st.selected ? " selected" : "") + (b.i === st.focus ? " focused" : "") + (n.change ? " changed" : "");
  var g = svgEl("g", { "class": cls, tabindex: "0", "data-key": n.key, "data-object": n.id, "data-index": b.i }, parent);
  svgEl("title", {}, g).textContent = n.key + (n.worst ? " (worst finding: " + n.worst + ")" : "") + (n.findings ? ", " + n.findings + " finding" + (n.findings > 1 ? "s" : "") : "");
  svgEl("rect", { x: b.x, y: b.y, width: b.w, height: b.h, rx: 6 }, g);
  svgEl("text", { "class": "kind", x: b.x + NODE_PAD, y: b.y + 15 }, g).textContent = b.top;
  svgEl("text", { "class": "name", x: b.x + NODE_PAD, y: b.y + 32 }, g).textContent = b.name;
}

function drawEdges(st) {
  var layer = st.layers.edges;
  layer.textContent = "";
  visibleEdges(st, st.layout).forEach(function (e) {
    var cls = "edge edge-" + e.kind + (e.cross ? " cross" : "") + (e.hl ? " hl" : "");
    var p = svgEl("path", { "class": cls, d: edgePath(e.a, e.b), "marker-end": e.kind === "dependsOn" ? "url(#arrow-dep)" : "url(#arrow)" }, layer);
    svgEl("title", {}, p).textContent = e.title + (e.count > 1 ? " (and " + (e.count - 1) + " more)" : "");
  });
}

function initialView(L) {
  var c = canvasSize(), s = Math.min(1, (c.w - 32) / L.w, (c.h - 32) / L.h);
  if (s >= 0.75) { return { s: s, tx: Math.max(16, (c.w - L.w * s) / 2), ty: 16 }; }
  return { s: 1, tx: 16, ty: 16 }; // too big to read whole: start at the top left, actual size
}

function applyView(st) {
  var v = st.view;
  $("#graph-viewport").setAttribute("transform", "translate(" + r(v.tx) + "," + r(v.ty) + ") scale(" + r(v.s * 1000) / 1000 + ")");
}

function zoomAt(st, px, py, factor) {
  var v = st.view, s = Math.min(3, Math.max(0.05, v.s * factor));
  v.tx = px - (px - v.tx) * s / v.s;
  v.ty = py - (py - v.ty) * s / v.s;
  v.s = s;
  applyView(st);
}

function fitView(st) {
  var c = canvasSize(), L = st.layout, s = Math.max(0.05, Math.min(1, (c.w - 32) / L.w, (c.h - 32) / L.h));
  st.view = { s: s, tx: (c.w - L.w * s) / 2, ty: Math.max(16, (c.h - L.h * s) / 2) };
  applyView(st);
}

// updateBars shows the focus and the selection above the graph.
function updateBars(st) {
  var focus = $("#graph-focus"), sel = $("#graph-selection");
  focus.hidden = st.focus < 0;
  if (st.focus >= 0) {
    $("#focus-name").textContent = st.g.nodes[st.focus].key;
    $("#focus-count").textContent = st.layout.boxes.length + " objects";
  }
  sel.hidden = st.selected < 0;
  sel.textContent = "";
  if (st.selected < 0) { return; }
  var n = st.g.nodes[st.selected];
  var name = document.createElement("strong");
  name.textContent = n.kind + " " + (n.ns ? n.ns + "/" : "") + n.name;
  sel.appendChild(name);
  var info = n.findings ? " · " + n.findings + " finding" + (n.findings > 1 ? "s" : "") : " · no finding";
  sel.appendChild(document.createTextNode(info + (n.worst ? " · worst below it: " + n.worst : "") + " "));
  [["Open", "graph-open"], ["Focus", "graph-focus-sel"], ["Clear", "graph-clear"]].forEach(function (a) {
    var b = document.createElement("button");
    b.type = "button";
    b.id = a[1];
    b.textContent = a[0];
    sel.appendChild(b);
  });
}

function select(st, i) {
  st.selected = i;
  if (!st.layers) { return; }
  $$(".node", st.layers.nodes).forEach(function (el) { el.classList.toggle("selected", Number(el.dataset.index) === i); });
  drawEdges(st);
  updateBars(st);
}

function focusOn(st, i) {
  st.focus = i;
  st.selected = i;
  st.view = null;
  draw(st);
  if (i >= 0) {
    fitView(st);
    setHash({ cluster: clusterName(st.id), focus: st.g.nodes[i].key });
  } else {
    setHash({ cluster: clusterName(st.id) });
  }
}

function toggleGroup(st, key) {
  st.collapsed[key] = !st.collapsed[key];
  var v = st.view;
  draw(st);
  st.view = v;
  applyView(st);
}

// The functions the page calls.

function graphShowCluster(id) {
  gv.cluster = id;
  var st = graphState(id);
  $("#cross-edges").checked = st.cross;
  $("#group-by").value = st.groupBy;
  if (graphVisible()) { draw(st); } else { st.dirty = true; }
}

function graphShown() {
  var st = current();
  if (st && (st.dirty || !st.layout)) { draw(st); }
}

function graphSelectKey(key) {
  var st = current();
  if (!st) { return; }
  var i = st.byKey[key];
  st.selected = i === undefined ? -1 : i;
  st.dirty = true;
}

function graphFocusKey(key) {
  var st = current();
  if (!st || st.byKey[key] === undefined) { return; }
  focusOn(st, st.byKey[key]);
}

function graphSearch(q) {
  var st = current();
  if (!st) { return; }
  st.query = q;
  if (!st.layers) { return; }
  $$(".node", st.layers.nodes).forEach(function (n) { n.classList.toggle("dim", !!q && n.dataset.key.toLowerCase().indexOf(q) < 0); });
  var match = {}; // collapsed groups that hold a match
  (st.layout ? st.layout.groups : []).forEach(function (gr) {
    match[gr.key] = !!q && gr.collapsed && gr.members.some(function (i) { return st.g.nodes[i].key.toLowerCase().indexOf(q) >= 0; });
  });
  $$(".group", st.layers.groups).forEach(function (el) { el.classList.toggle("has-match", !!match[el.dataset.group]); });
}
