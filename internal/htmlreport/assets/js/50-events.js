// The graph's toolbar, mouse and keyboard.

function setupGraph() {
  var data = $("#graph-data");
  graphData = data && data.textContent.trim() ? JSON.parse(data.textContent) : {};
  var svg = $("#graph-svg");
  $("#group-by").addEventListener("change", function (ev) {
    var st = current();
    if (!st) { return; }
    st.groupBy = ev.target.value;
    st.collapsed = {};
    st.view = null;
    draw(st);
  });
  $("#collapse-all").addEventListener("click", function () { setAllGroups(true); });
  $("#expand-all").addEventListener("click", function () { setAllGroups(false); });
  $("#cross-edges").addEventListener("change", function (ev) {
    var st = current();
    if (st) { st.cross = ev.target.checked; if (st.layers) { drawEdges(st); } }
  });
  $("#zoom-in").addEventListener("click", function () { zoomCentre(1.25); });
  $("#zoom-out").addEventListener("click", function () { zoomCentre(0.8); });
  $("#zoom-fit").addEventListener("click", function () { var st = current(); if (st && st.layout) { fitView(st); } });
  $("#zoom-reset").addEventListener("click", function () {
    var st = current();
    if (st && st.layout) { st.view = { s: 1, tx: 16, ty: 16 }; applyView(st); }
  });
  $("#focus-exit").addEventListener("click", function () { var st = current(); if (st) { focusOn(st, -1); } });
  $("#graph-selection").addEventListener("click", onSelectionBar);
  svg.addEventListener("wheel", onWheel, { passive: false });
  setupDrag(svg);
  svg.addEventListener("dblclick", function (ev) {
    var node = ev.target.closest(".node");
    if (node && node.dataset.object) { showObject(node.dataset.object); }
  });
  svg.addEventListener("keydown", function (ev) {
    var st = current(), node = ev.target.closest(".node"), head = ev.target.closest(".group-head");
    if (ev.key === "Enter" && node) { showObject(node.dataset.object); }
    if ((ev.key === "Enter" || ev.key === " ") && head && st) { ev.preventDefault(); toggleGroup(st, head.dataset.group); }
  });
  window.addEventListener("resize", function () { var st = current(); if (st && graphVisible()) { draw(st); } });
}

function setAllGroups(collapsed) {
  var st = current();
  if (!st || !st.layout) { return; }
  st.collapsed = {};
  if (collapsed) {
    Object.keys(st.layout.groupBox).forEach(function (k) { st.collapsed[k] = true; });
  }
  st.view = null;
  draw(st);
}

function zoomCentre(factor) {
  var st = current();
  if (!st || !st.view) { return; }
  var c = canvasSize();
  zoomAt(st, c.w / 2, c.h / 2, factor);
}

function onWheel(ev) {
  var st = current();
  if (!st || !st.view) { return; }
  ev.preventDefault();
  var box = $("#graph-svg").getBoundingClientRect();
  var delta = ev.deltaMode === 1 ? ev.deltaY * 16 : ev.deltaY;
  zoomAt(st, ev.clientX - box.left, ev.clientY - box.top, Math.exp(-delta * 0.0015));
}

// setupDrag pans the graph when the reader drags it; a press that does not
// move is a click on what it pressed.
function setupDrag(svg) {
  var drag = null;
  svg.addEventListener("pointerdown", function (ev) {
    var st = current();
    if (!st || !st.view || ev.button !== 0) { return; }
    drag = { x: ev.clientX, y: ev.clientY, tx: st.view.tx, ty: st.view.ty, moved: false, id: ev.pointerId };
  });
  svg.addEventListener("pointermove", function (ev) {
    var st = current();
    if (!drag || !st) { return; }
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) { return; }
    if (!drag.moved) { drag.moved = true; svg.setPointerCapture(drag.id); svg.classList.add("dragging"); }
    st.view.tx = drag.tx + dx;
    st.view.ty = drag.ty + dy;
    applyView(st);
  });
  function end(ev) {
    if (!drag) { return; }
    var moved = drag.moved;
    drag = null;
    svg.classList.remove("dragging");
    if (!moved && ev.type === "pointerup") { clickGraph(ev.target); }
  }
  svg.addEventListener("pointerup", end);
  svg.addEventListener("pointercancel", end);
}

// clickGraph selects a node, collapses or expands a group, or clears the
// selection on the background.
function clickGraph(target) {
  var st = current();
  if (!st) { return; }
  var node = target.closest(".node"), head = target.closest(".group-head");
  if (node) {
    var i = Number(node.dataset.index);
    select(st, st.selected === i ? -1 : i);
    if (st.selected >= 0) { setHash({ cluster: clusterName(st.id), object: node.dataset.key }); }
  } else if (head) {
    toggleGroup(st, head.dataset.group);
  } else if (st.selected >= 0) {
    select(st, -1);
  }
}

function onSelectionBar(ev) {
  var st = current(), b = ev.target.closest("button");
  if (!st || !b || st.selected < 0) { return; }
  var n = st.g.nodes[st.selected];
  if (b.id === "graph-open") { showObject(n.id); }
  if (b.id === "graph-focus-sel") { focusOn(st, st.selected); }
  if (b.id === "graph-clear") { select(st, -1); }
}
