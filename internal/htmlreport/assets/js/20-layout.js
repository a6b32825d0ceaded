// The graph's layout: pure functions of sizes and edges, no drawing.

var NODE_H = 40, NODE_MIN_W = 110, NODE_MAX_W = 250, NODE_PAD = 10;
var GAP_X = 44, GAP_Y = 12, GROUP_PAD = 12, GROUP_HEAD = 28, GROUP_GAP = 22;
var FONT_NAME = "600 13px system-ui, sans-serif", FONT_KIND = "11px system-ui, sans-serif";

var measureCtx = null;
function textWidth(text, font) {
  if (!measureCtx) { measureCtx = document.createElement("canvas").getContext("2d"); }
  measureCtx.font = font;
  return measureCtx.measureText(text).width;
}

// fitText cuts text with an ellipsis so that it is at most width wide.
function fitText(text, font, width) {
  if (textWidth(text, font) <= width) { return text; }
  var lo = 0, hi = text.length;
  while (lo < hi) { // the longest prefix that fits with the ellipsis
    var mid = Math.ceil((lo + hi) / 2);
    if (textWidth(text.slice(0, mid) + "…", font) <= width) { lo = mid; } else { hi = mid - 1; }
  }
  return text.slice(0, lo) + "…";
}

// nodeSize gives a node the width of its longer label, within bounds, and
// the labels that fit in it.
function nodeSize(top, name) {
  var inner = NODE_MAX_W - 2 * NODE_PAD;
  var t = fitText(top, FONT_KIND, inner), n = fitText(name, FONT_NAME, inner);
  var w = Math.max(textWidth(t, FONT_KIND), textWidth(n, FONT_NAME)) + 2 * NODE_PAD + 2;
  return { w: Math.min(NODE_MAX_W, Math.max(NODE_MIN_W, Math.ceil(w))), h: NODE_H, top: t, name: n };
}

// layered lays out boxes ({w, h}) joined by edges ([from, to] indices) in
// columns: each box in the column after its deepest predecessor (edges on
// a cycle are ignored), a column of many boxes wrapped into several, each
// ordered by the mean row of its boxes' predecessors. It sets x and y on
// the boxes and returns the size of the whole.
function layered(boxes, edges) {
  var n = boxes.length, preds = [], layer = [], seen = [], i;
  for (i = 0; i < n; i++) { preds.push([]); seen.push(0); }
  edges.forEach(function (e) { if (e[0] !== e[1]) { preds[e[1]].push(e[0]); } });
  function depth(start) { // iterative, so that long chains do not overflow the stack
    var stack = [[start, 0]];
    seen[start] = 1;
    while (stack.length) {
      var top = stack[stack.length - 1], v = top[0];
      if (top[1] < preds[v].length) {
        var p = preds[v][top[1]++];
        if (seen[p] === 0) { seen[p] = 1; stack.push([p, 0]); }
        continue;
      }
      var d = 0;
      preds[v].forEach(function (p) { if (seen[p] === 2) { d = Math.max(d, layer[p] + 1); } });
      layer[v] = d;
      seen[v] = 2;
      stack.pop();
    }
  }
  for (i = 0; i < n; i++) { if (!seen[i]) { depth(i); } }
  var layers = [];
  for (i = 0; i < n; i++) { (layers[layer[i]] = layers[layer[i]] || []).push(i); }
  var row = [], x = 0, height = 0;
  layers.forEach(function (col, l) {
    if (!col) { return; }
    var bary = {};
    col.forEach(function (v) {
      var sum = 0, k = 0;
      preds[v].forEach(function (p) { if (layer[p] < l) { sum += row[p]; k++; } });
      bary[v] = k ? sum / k : 1e9;
    });
    col.sort(function (a, b) { return (bary[a] - bary[b]) || (a - b); });
    col.forEach(function (v, r) { row[v] = r; });
    var rows = Math.max(8, Math.ceil(Math.sqrt(2 * col.length)));
    for (var start = 0; start < col.length; start += rows) {
      var chunk = col.slice(start, start + rows), w = 0;
      chunk.forEach(function (v, r) {
        boxes[v].x = x;
        boxes[v].y = r * (NODE_H + GAP_Y);
        w = Math.max(w, boxes[v].w);
      });
      height = Math.max(height, chunk.length * (NODE_H + GAP_Y) - GAP_Y);
      x += w + GAP_X;
    }
  });
  return { w: Math.max(0, x - GAP_X), h: height };
}

// shelves packs boxes ({w, h}) in rows no wider than width, in order, and
// sets x and y on them; it returns the size of the whole.
function shelves(boxes, width) {
  var x = 0, y = 0, rowH = 0, w = 0;
  boxes.forEach(function (b) {
    if (x > 0 && x + b.w > width) { x = 0; y += rowH + GROUP_GAP; rowH = 0; }
    b.x = x;
    b.y = y;
    x += b.w + GROUP_GAP;
    rowH = Math.max(rowH, b.h);
    w = Math.max(w, b.x + b.w);
  });
  return { w: w, h: y + rowH };
}

// edgePath draws a curve from box a to box b ({x, y, w, h}): side to side
// when they stand apart horizontally, else top to bottom.
function edgePath(a, b) {
  var x1, y1, x2, y2, ay = a.y + a.h / 2, by = b.y + b.h / 2;
  if (b.x >= a.x + a.w + 8 || b.x + b.w <= a.x - 8) {
    var right = b.x >= a.x + a.w;
    x1 = right ? a.x + a.w : a.x;
    x2 = right ? b.x : b.x + b.w;
    var mid = (x1 + x2) / 2;
    return "M" + r(x1) + "," + r(ay) + " C" + r(mid) + "," + r(ay) + " " + r(mid) + "," + r(by) + " " + r(x2) + "," + r(by);
  }
  x1 = a.x + a.w / 2;
  x2 = b.x + b.w / 2;
  if (by >= ay) { y1 = a.y + a.h; y2 = b.y; } else { y1 = a.y; y2 = b.y + b.h; }
  var my = (y1 + y2) / 2;
  return "M" + r(x1) + "," + r(y1) + " C" + r(x1) + "," + r(my) + " " + r(x2) + "," + r(my) + " " + r(x2) + "," + r(y2);
}

function r(v) { return Math.round(v * 10) / 10; }
