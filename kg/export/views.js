/* kg explorer views: Timeline, Map and Matrix beside the Graph, drawn as SVG from the events
 * that pass the shared filters (and involve the selected entity, when one is selected).
 * Names and sentences only ever reach the page as text nodes, never as markup. */
(function () {
  "use strict";
  var kg = window.kgExplorer, data = kg.data, el = kg.el, nodeById = kg.nodeById;
  var NS = "http://www.w3.org/2000/svg", DAY = 86400000, MATRIX_SIZE = 25, ARROWS = 40;
  var QUAD_COLOURS = { 1: "#9ecae1", 2: "#2171b5", 3: "#fdae6b", 4: "#d62728", 0: "#bdbdbd" };
  var QUAD_ORDER = [1, 2, 3, 4, 0];
  var edgeById = {};
  data.edges.forEach(function (e) { edgeById[e.id] = e; });
  var panes = {}, current = "graph", renders = 0;
  ["timeline", "map", "matrix"].forEach(function (v) { panes[v] = document.getElementById("kg-" + v); });
  var buttons = Array.prototype.slice.call(document.querySelectorAll("#kg-views button"));

  // attributes are numbers or kg's own words; text comes in through textContent only
  function svg(tag, attrs, parent) {
    var node = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }
  function svgText(parent, x, y, text, attrs) {
    var t = svg("text", Object.assign({ x: x, y: y }, attrs || {}), parent);
    t.textContent = String(text);
    return t;
  }
  function tip(node, text) { svg("title", {}, node).textContent = text; }
  function quadName(q) { return q ? data.quads[q] : "No CAMEO code"; }
  function ids(events) { return events.map(function (e) { return e.id; }); }
  function mean(sum, n) { return n ? Math.round(sum / n * 10) / 10 : null; }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  // ---- the frame of every view: what is shown, the selection, the drawing area -------------
  function frame(pane, note) {
    var bar = el("div", null, "kg-view-bar");
    bar.appendChild(el("span", note));
    var chosen = kg.selected();
    if (chosen !== null) {
      var chip = el("span", "only events of " + kg.label(chosen) + " ", "kg-chip");
      var clear = el("button", "×");
      clear.type = "button";
      clear.setAttribute("aria-label", "Show all entities");
      clear.addEventListener("click", kg.clearSelection);
      chip.appendChild(clear);
      bar.appendChild(chip);
    }
    pane.appendChild(bar);
    var area = el("div", null, "kg-view-area");
    pane.appendChild(area);
    return area;
  }
  function size(area) {
    var box = area.getBoundingClientRect();
    return { w: Math.max(box.width, 320), h: Math.max(box.height, 240) };
  }

  // ---- Timeline ---------------------------------------------------------------------------
  function dayNumber(iso) { return Math.floor(Date.parse(iso + "T00:00:00Z") / DAY); }
  function isoDay(n) { return new Date(n * DAY).toISOString().slice(0, 10); }
  function binStart(unit, d) {
    if (unit === "day") return d;
    if (unit === "week") return d - ((d + 3) % 7);  // Mondays (day 0 was a Thursday)
    var t = new Date(d * DAY);
    return Date.UTC(t.getUTCFullYear(), unit === "year" ? 0 : t.getUTCMonth(), 1) / DAY;
  }
  function binEnd(unit, start) {
    if (unit === "day") return start + 1;
    if (unit === "week") return start + 7;
    var t = new Date(start * DAY);
    if (unit === "year") return Date.UTC(t.getUTCFullYear() + 1, 0, 1) / DAY;
    return Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1) / DAY;
  }
  function timelineBins(events) {
    var dated = events.filter(function (e) { return e.dmin; });
    if (!dated.length) return { unit: "day", bins: [], undated: events.length };
    var days = dated.map(function (e) { return dayNumber(e.dmin); });
    var lo = days.reduce(function (a, b) { return Math.min(a, b); }), span;
    var hi = days.reduce(function (a, b) { return Math.max(a, b); });
    span = hi - lo;
    // about 100 bars at most, a bar a year for the odd source that spans centuries
    var unit = span <= 92 ? "day" : span <= 731 ? "week" : span <= 3653 ? "month" : "year";
    var bins = [], index = {};
    for (var s = binStart(unit, lo); s <= hi; s = binEnd(unit, s)) {
      index[s] = bins.length;
      bins.push({ start: s, end: binEnd(unit, s), total: 0, gsSum: 0, gsN: 0, byQuad: { 0: [], 1: [], 2: [], 3: [], 4: [] } });
    }
    dated.forEach(function (e, i) {
      var bin = bins[index[binStart(unit, days[i])]];
      bin.byQuad[e.quad || 0].push(e);
      bin.total++;
      if (e.gs !== undefined && e.gs !== null) { bin.gsSum += e.gs; bin.gsN++; }
    });
    return { unit: unit, bins: bins, undated: events.length - dated.length };
  }
  function binTitle(unit, bin) {
    var first = isoDay(bin.start);
    return unit === "day" ? first : unit === "week" ? "Week of " + first : first.slice(0, unit === "year" ? 4 : 7);
  }
  function drawTimeline(pane, events) {
    var t = timelineBins(events), unit = t.unit, bins = t.bins;
    var note = plural(events.length - t.undated, "dated event") + ", counted by " + unit +
      (t.undated ? " (" + t.undated + " undated left out)" : "") +
      ". Drag across the chart to set the dates of every view; click a bar to list its events.";
    var area = frame(pane, note);
    if (!bins.length) { area.appendChild(el("p", "No dated events pass the filters.", "kg-empty")); return; }
    var dim = size(area), m = { l: 44, r: 44, t: 34, b: 30 };
    var pw = dim.w - m.l - m.r, ph = dim.h - m.t - m.b;
    var root = svg("svg", { width: dim.w, height: dim.h, "class": "kg-chart", role: "img" }, area);
    var max = Math.max.apply(null, bins.map(function (b) { return b.total; }));
    var bw = pw / bins.length, gap = bw > 4 ? Math.min(bw * 0.15, 3) : 0;
    var y = function (v) { return m.t + ph - v / max * ph; };
    var gy = function (v) { return m.t + ph / 2 - v / 10 * (ph / 2); };
    svg("line", { x1: m.l, x2: m.l + pw, y1: m.t + ph, y2: m.t + ph, "class": "kg-axis" }, root);
    svg("line", { x1: m.l, x2: m.l + pw, y1: gy(0), y2: gy(0), "class": "kg-zero" }, root);
    svgText(root, m.l - 6, m.t + 4, max, { "text-anchor": "end" });
    svgText(root, m.l - 6, m.t + ph, 0, { "text-anchor": "end" });
    [10, 0, -10].forEach(function (v) { svgText(root, m.l + pw + 6, gy(v) + 4, (v > 0 ? "+" : "") + v); });
    [0, Math.floor((bins.length - 1) / 2), bins.length - 1].forEach(function (i, k, all) {
      if (k && all[k - 1] === i) return;
      svgText(root, m.l + (i + 0.5) * bw, m.t + ph + 18, binTitle(unit, bins[i]).replace("Week of ", ""), { "text-anchor": "middle" });
    });
    var bars = svg("g", { "class": "kg-bars" }, root);
    bins.forEach(function (bin, i) {
      var base = 0;
      QUAD_ORDER.forEach(function (q) {
        var list = bin.byQuad[q];
        if (!list.length) return;
        var top = y(base + list.length);
        var bar = svg("rect", { x: m.l + i * bw + gap / 2, y: top, width: Math.max(bw - gap, 1), height: y(base) - top,
                                fill: QUAD_COLOURS[q], "class": "kg-bar", "data-bin": i, "data-quad": q }, bars);
        tip(bar, binTitle(unit, bin) + " · " + quadName(q) + ": " + plural(list.length, "event"));
        base += list.length;
      });
    });
    var points = bins.map(function (b, i) { return b.gsN ? [m.l + (i + 0.5) * bw, gy(b.gsSum / b.gsN), b] : null; })
      .filter(Boolean);
    if (points.length) {
      svg("polyline", { points: points.map(function (p) { return p[0] + "," + p[1]; }).join(" "), "class": "kg-gs-line" }, root);
      points.forEach(function (p) {
        tip(svg("circle", { cx: p[0], cy: p[1], r: 3, "class": "kg-gs" }, root),
            binTitle(unit, p[2]) + ": mean Goldstein " + mean(p[2].gsSum, p[2].gsN));
      });
    }
    timelineLegend(root, m.l);
    brush(root, m, pw, ph, bins, unit);
  }
  function timelineLegend(root, x) {
    QUAD_ORDER.forEach(function (q) {
      svg("rect", { x: x, y: 8, width: 10, height: 10, fill: QUAD_COLOURS[q] }, root);
      x += 14 + svgText(root, x + 14, 17, quadName(q)).getComputedTextLength() + 12;
    });
    svg("line", { x1: x, x2: x + 16, y1: 13, y2: 13, "class": "kg-gs-line" }, root);
    svgText(root, x + 20, 17, "mean Goldstein (right axis)");
  }
  // a drag selects whole bins and sets the shared date filter; a click lists a bar's events.
  // The pointer is captured so that a drag ending outside the chart still ends the brush.
  function brush(root, m, pw, ph, bins, unit) {
    var band = svg("rect", { y: m.t, height: ph, width: 0, "class": "kg-brush" }, root), start = null, bar = null;
    function localX(event) { return event.clientX - root.getBoundingClientRect().left; }
    function binAt(x) { return Math.max(0, Math.min(bins.length - 1, Math.floor((x - m.l) / (pw / bins.length)))); }
    root.addEventListener("pointerdown", function (event) {
      start = localX(event);
      bar = event.target.closest ? event.target.closest(".kg-bar") : null;
      root.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    root.addEventListener("pointermove", function (event) {
      if (start === null) return;
      var x = localX(event);
      band.setAttribute("x", Math.min(start, x));
      band.setAttribute("width", Math.abs(x - start));
    });
    root.addEventListener("pointerup", function (event) {
      if (start === null) return;
      var x = localX(event), from = start;
      start = null;
      band.setAttribute("width", 0);
      if (Math.abs(x - from) < 4) {
        if (!bar) return;
        var bin = bins[+bar.getAttribute("data-bin")], q = +bar.getAttribute("data-quad");
        kg.showEvents(binTitle(unit, bin) + " · " + quadName(q), ids(bin.byQuad[q]));
        return;
      }
      var a = bins[binAt(Math.min(from, x))], b = bins[binAt(Math.max(from, x))];
      setDates(isoDay(a.start), isoDay(b.end - 1));
    });
  }
  function setDates(from, to) {
    document.getElementById("kg-from").value = from;
    document.getElementById("kg-to").value = to;
    kg.applyFilters();
  }

  // ---- Map ----------------------------------------------------------------------------------
  var centres = {};
  data.world.forEach(function (c) { centres[c.iso] = c; });
  function countryOf(id) { return nodeById[id] ? nodeById[id].iso : undefined; }
  function shade(n, max) {
    if (!n) return "#eeeeee";
    var t = Math.log(1 + n) / Math.log(1 + max);
    var r = Math.round(254 - t * (254 - 165)), g = Math.round(224 - t * (224 - 15)), b = Math.round(210 - t * (210 - 21));
    return "rgb(" + r + "," + g + "," + b + ")";
  }
  function mapIndex(events) {
    var byIso = {}, points = {};
    events.forEach(function (e) {
      var a = countryOf(e.from), b = countryOf(e.to);
      [a, b].forEach(function (c, k) {
        if (!c || (k === 1 && c === a)) return;
        (byIso[c] = byIso[c] || []).push(e);
      });
      if (e.at !== undefined) {
        var at = data.places[e.at];
        (points[e.at] = points[e.at] || { lat: at.lat, lon: at.lon, place: at.place, events: [] }).events.push(e);
      }
    });
    return { byIso: byIso, points: Object.keys(points).map(function (k) { return points[k]; }) };
  }
  function drawMap(pane, events) {
    var index = mapIndex(events), byIso = index.byIso;
    var located = index.points.reduce(function (n, p) { return n + p.events.length; }, 0);
    var area = frame(pane, "Countries shaded by the events their actors take part in; dots are event places (" +
      plural(located, "located event") + "). Hover a country for its arrows from actor to target country; click to list events.");
    var dim = size(area), k = 3600 / dim.w;
    var root = svg("svg", { width: dim.w, height: dim.h, viewBox: "0 60 3600 1500", preserveAspectRatio: "xMidYMid meet",
                            "class": "kg-chart kg-world", role: "img" }, area);
    var defs = svg("defs", {}, root);
    var marker = svg("marker", { id: "kg-arrowhead", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 4,
                                 markerHeight: 4, orient: "auto-start-reverse" }, defs);
    svg("path", { d: "M0 0L10 5L0 10z", "class": "kg-arrowhead" }, marker);
    var max = Math.max.apply(null, [1].concat(Object.keys(byIso).map(function (c) { return byIso[c].length; })));
    var land = svg("g", { "class": "kg-countries" }, root), arrows = svg("g", { id: "kg-arrows" }, root);
    data.world.forEach(function (c) {
      var list = byIso[c.iso] || [];
      var shape = svg("path", { d: c.d, fill: shade(list.length, max), "class": "kg-country", "data-iso": c.iso,
                                "data-count": list.length }, land);
      tip(shape, c.name + ": " + plural(list.length, "event"));
      shape.addEventListener("mouseenter", function () { drawArrows(arrows, list, k); });
      shape.addEventListener("mouseleave", function () { arrows.replaceChildren(); });
      shape.addEventListener("click", function () { kg.showEvents(c.name, ids(list)); });
    });
    var dots = svg("g", { "class": "kg-points" }, root);
    index.points.forEach(function (p) {
      var n = p.events.length;
      var dot = svg("circle", { cx: (p.lon + 180) * 10, cy: (90 - p.lat) * 10, r: (3 + 2 * Math.sqrt(n)) * k,
                                "class": "kg-point", "data-count": n }, dots);
      tip(dot, p.place + ": " + plural(n, "event"));
      dot.addEventListener("click", function () { kg.showEvents(p.place, ids(p.events)); });
    });
    mapLegend(area, max);
  }
  function drawArrows(layer, events, k) {
    var pairs = {};
    events.forEach(function (e) {
      var a = countryOf(e.from), b = countryOf(e.to);
      if (!a || !b || a === b || !centres[a] || !centres[b]) return;
      pairs[a + ">" + b] = (pairs[a + ">" + b] || 0) + 1;
    });
    var keys = Object.keys(pairs).sort(function (p, q) { return pairs[q] - pairs[p] || (p < q ? -1 : 1); }).slice(0, ARROWS);
    var top = keys.length ? pairs[keys[0]] : 1;
    layer.replaceChildren();
    keys.forEach(function (key) {
      var ends = key.split(">"), a = centres[ends[0]], b = centres[ends[1]];
      var mx = (a.x + b.x) / 2 - (b.y - a.y) * 0.2, my = (a.y + b.y) / 2 + (b.x - a.x) * 0.2;
      var line = svg("path", { d: "M" + a.x + " " + a.y + "Q" + mx + " " + my + " " + b.x + " " + b.y,
                               "class": "kg-arrow", "stroke-width": (1.5 + 4 * pairs[key] / top) * k,
                               "marker-end": "url(#kg-arrowhead)", "data-pair": key }, layer);
      tip(line, a.name + " → " + b.name + ": " + plural(pairs[key], "event"));
    });
  }
  function mapLegend(area, max) {
    var box = el("div", null, "kg-view-legend");
    box.appendChild(el("span", "events by actors' country: "));
    [1, Math.max(1, Math.round(Math.sqrt(max))), max].forEach(function (n, i, all) {
      if (i && all[i - 1] === n) return;
      var swatch = el("span", null, "kg-box");
      swatch.style.background = shade(n, max);
      box.appendChild(swatch);
      box.appendChild(el("span", String(n) + " "));
    });
    area.appendChild(box);
  }

  // ---- Matrix -----------------------------------------------------------------------------
  function goldsteinColour(v) {
    if (v === null) return "#9e9e9e";
    var t = Math.max(-1, Math.min(1, v / 10)), from = [221, 221, 221];
    var to = t < 0 ? [214, 39, 40] : [33, 102, 172], s = Math.abs(t);
    return "rgb(" + from.map(function (c, i) { return Math.round(c + (to[i] - c) * s); }).join(",") + ")";
  }
  function topActors(events) {
    var count = {};
    events.forEach(function (e) {
      count[e.from] = (count[e.from] || 0) + 1;
      if (e.to !== e.from) count[e.to] = (count[e.to] || 0) + 1;
    });
    return Object.keys(count).sort(function (a, b) {
      var la = kg.label(a), lb = kg.label(b);
      return count[b] - count[a] || (la < lb ? -1 : la > lb ? 1 : 0);
    }).slice(0, MATRIX_SIZE);
  }
  function drawMatrix(pane, events) {
    var top = topActors(events), at = {}, cells = {};
    top.forEach(function (id, i) { at[id] = i; });
    events.forEach(function (e) {
      if (at[e.from] === undefined || at[e.to] === undefined) return;
      var key = at[e.from] + "," + at[e.to];
      var cell = cells[key] = cells[key] || { row: at[e.from], col: at[e.to], events: [], gsSum: 0, gsN: 0 };
      cell.events.push(e);
      if (e.gs !== undefined && e.gs !== null) { cell.gsSum += e.gs; cell.gsN++; }
    });
    var area = frame(pane, "The " + top.length + " most active entities: rows act on columns. Colour: mean Goldstein " +
      "(red conflict, blue cooperation, grey unscored); size: number of events. Click a cell to list its events.");
    if (!top.length) { area.appendChild(el("p", "No events pass the filters.", "kg-empty")); return; }
    var dim = size(area), left = 170, head = 130, n = top.length;
    var cell = Math.max(8, Math.min(36, (dim.w - left - 20) / n, (dim.h - head - 20) / n));
    var root = svg("svg", { width: left + n * cell + head, height: head + n * cell + 20, "class": "kg-chart", role: "img" }, area);
    var max = Math.max.apply(null, [1].concat(Object.keys(cells).map(function (c) { return cells[c].events.length; })));
    top.forEach(function (id, i) {
      svg("line", { x1: left, x2: left + n * cell, y1: head + i * cell, y2: head + i * cell, "class": "kg-grid" }, root);
      svg("line", { x1: left + i * cell, x2: left + i * cell, y1: head, y2: head + n * cell, "class": "kg-grid" }, root);
      entityLabel(svgText(root, left - 6, head + (i + 0.5) * cell + 4, kg.label(id), { "text-anchor": "end", "class": "kg-row" }), id);
      var cx = left + (i + 0.5) * cell + 4, cy = head - 6;
      entityLabel(svgText(root, cx, cy, kg.label(id), { transform: "rotate(-50 " + cx + " " + cy + ")", "class": "kg-col" }), id);
    });
    Object.keys(cells).sort().forEach(function (key) {
      var c = cells[key], s = cell * (0.3 + 0.7 * Math.sqrt(c.events.length / max)), g = mean(c.gsSum, c.gsN);
      var rect = svg("rect", { x: left + (c.col + 0.5) * cell - s / 2, y: head + (c.row + 0.5) * cell - s / 2, width: s, height: s,
                               fill: goldsteinColour(g), "class": "kg-cell", "data-row": c.row, "data-col": c.col,
                               "data-count": c.events.length }, root);
      var title = kg.label(top[c.row]) + " → " + kg.label(top[c.col]);
      tip(rect, title + ": " + plural(c.events.length, "event") + (g === null ? "" : ", mean Goldstein " + g));
      rect.addEventListener("click", function () { kg.showEvents(title, ids(c.events)); });
    });
  }
  function entityLabel(node, id) {
    node.addEventListener("click", function () { kg.showNode(id); });
  }

  // ---- switching ----------------------------------------------------------------------------
  var draw = { timeline: drawTimeline, map: drawMap, matrix: drawMatrix };
  function render() {
    if (current === "graph") return;
    var pane = panes[current];
    pane.replaceChildren();
    draw[current](pane, kg.visibleEdges());
    pane.setAttribute("data-rendered", ++renders);
  }
  function show(view) {
    current = view;
    document.body.setAttribute("data-view", view);
    buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-view") === view)); });
    Object.keys(panes).forEach(function (v) { panes[v].hidden = v !== view; });
    if (view === "graph") kg.network.redraw(); else render();
  }
  buttons.forEach(function (b) { b.addEventListener("click", function () { show(b.getAttribute("data-view")); }); });
  kg.onChange(render);
  var resizing = null;
  window.addEventListener("resize", function () { clearTimeout(resizing); resizing = setTimeout(render, 150); });
  show(data.view || "graph");
  kg.show = show;
  kg.view = function () { return current; };
})();
