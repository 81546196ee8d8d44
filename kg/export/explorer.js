/* kg explorer: turns the #kg-data JSON into the vis network (data.options are its options) and
 * wires search, filters and the side panel. Article text only ever reaches the page through
 * textContent, never as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodeById = {}, edgeById = {}, incident = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; incident[n.id] = []; });
  data.edges.forEach(function (e) {
    edgeById[e.id] = e;
    incident[e.from].push(e.id);
    if (e.to !== e.from) incident[e.to].push(e.id);
  });
  var TIP_EVENTS = 3, PANEL_EVENTS = 200;

  function el(tag, text, cls) {
    var x = document.createElement(tag);
    if (text !== undefined && text !== null) x.textContent = String(text);
    if (cls) x.className = cls;
    return x;
  }
  function label(id) { return nodeById[id] ? nodeById[id].label : id; }
  function when(e) { return e.date || "undated"; }
  function phrase(e) {
    return label(e.from) + " " + (e.negated ? "not " : "") + e.relation + " " + label(e.to);
  }

  // vis-network shows a DOM element title as is, so tooltips are built from text nodes
  function nodeTip(n) {
    var box = el("div", null, "kg-tip");
    box.appendChild(el("div", n.label + " (" + n.type + ")", "kg-tip-head"));
    var ids = incident[n.id];
    ids.slice(0, TIP_EVENTS).forEach(function (id) {
      var e = edgeById[id];
      box.appendChild(el("div", when(e) + ": " + (e.evidence || phrase(e))));
    });
    if (ids.length > TIP_EVENTS) box.appendChild(el("div", "… " + (ids.length - TIP_EVENTS) + " more events"));
    return box;
  }
  function edgeTip(e) {
    var box = el("div", null, "kg-tip");
    box.appendChild(el("div", phrase(e), "kg-tip-head"));
    box.appendChild(el("div", when(e) + (e.modality !== "asserted" ? " · " + e.modality : "")));
    if (e.evidence) box.appendChild(el("div", e.evidence));
    return box;
  }

  // colours live in the per-type groups and the edge defaults of the options: items carry
  // only what differs, which keeps vis-network's per-item copying small on big graphs
  function visNode(n) {
    var item = { id: n.id, label: n.label, group: n.type, size: n.size };
    if (!lazyTips) item.title = nodeTip(n);
    if (n.x !== undefined) { item.x = n.x; item.y = n.y; }
    return item;
  }
  function visEdge(e) {
    var item = { id: e.id, from: e.from, to: e.to };
    if (!lazyTips) item.title = edgeTip(e);
    if (e.dashes) item.dashes = e.dashes;
    if (e.negated) { item.color = { color: e.color, highlight: e.color, hover: e.color }; item.width = 2; }
    if (e.smooth) item.smooth = e.smooth;
    // at the scale of a big graph edge labels are unreadable and cost seconds to measure
    if (data.physics) item.label = e.label;
    return item;
  }

  // a big graph gets its tooltips when first hovered: tens of thousands of elements up front
  // cost more time at load than all the hovering ever will
  var lazyTips = !data.physics;
  var nodeSet = new vis.DataSet(data.nodes.map(visNode));
  var edgeSet = new vis.DataSet(data.edges.map(visEdge));
  var network = new vis.Network(document.getElementById("mynetwork"), { nodes: nodeSet, edges: edgeSet },
                                data.options);
  if (lazyTips) {
    network.on("hoverNode", function (params) {
      var n = nodeById[params.node];
      if (n && !nodeSet.get(n.id).title) nodeSet.update({ id: n.id, title: nodeTip(n) });
    });
    network.on("hoverEdge", function (params) {
      var e = edgeById[params.edge];
      if (e && !edgeSet.get(e.id).title) edgeSet.update({ id: e.id, title: edgeTip(e) });
    });
  }

  // ---- side panel -------------------------------------------------------------------------
  var panel = document.getElementById("kg-panel");
  var body = document.getElementById("kg-panel-body");

  function facts(rows) {
    var dl = el("dl");
    rows.forEach(function (row) {
      if (row[1] === undefined || row[1] === null || row[1] === "") return;
      dl.appendChild(el("dt", row[0]));
      var dd = el("dd");
      if (row[1] instanceof Node) dd.appendChild(row[1]); else dd.textContent = String(row[1]);
      dl.appendChild(dd);
    });
    return dl;
  }
  function documentFact(iri) {
    if (!iri) return null;
    var doc = data.documents[iri] || {};
    var name = doc.title || iri;
    if (doc.url && /^https?:\/\//i.test(doc.url)) {
      var a = el("a", name);
      a.href = doc.url;  // a link the reader may follow; nothing is fetched to show the page
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      return a;
    }
    return el("span", name + (doc.published ? " (" + doc.published + ")" : ""));
  }
  function cameoText(e) {
    if (!e.cameo) return null;
    return e.cameo + (e.root ? " · " + data.cameoRoots[e.root] : "");
  }
  function stance(e) {
    var parts = [];
    if (e.negated) parts.push("negated");
    parts.push(e.modality);
    return parts.join(", ");
  }
  function eventFacts(e, from) {
    var other = from === undefined ? null : (e.from === from ? e.to : e.from);
    return facts([
      ["Relation", e.text],
      ["From", other === null ? label(e.from) : null],
      ["To", other === null ? label(e.to) : null],
      ["Other party", other === null ? null : (e.from === from ? "→ " : "← ") + label(other)],
      ["Date", e.date],
      ["CAMEO", cameoText(e)],
      ["PLOVER", e.plover],
      ["Stance", stance(e)],
      ["Attribution", e.attribution],
      ["Confidence", e.confidence],
      ["Source", documentFact(e.doc)]
    ]);
  }
  function open(title) {
    body.replaceChildren();
    body.appendChild(el("h2", title));
    panel.hidden = false;
  }
  // the other views redraw when the filters or the selected entity change
  var listeners = [], selected = null;
  function changed() { listeners.forEach(function (fn) { fn(); }); }
  function eventList(ids, from) {
    var list = el("ol");
    ids.slice(0, PANEL_EVENTS).forEach(function (eid) {
      var e = edgeById[eid], item = el("li");
      item.appendChild(el("div", phrase(e), "kg-fact-head" + (e.negated ? " kg-neg" : "")));
      item.appendChild(eventFacts(e, from));
      if (e.evidence) item.appendChild(el("blockquote", e.evidence));
      list.appendChild(item);
    });
    body.appendChild(list);
    if (ids.length > PANEL_EVENTS) body.appendChild(el("p", "… and " + (ids.length - PANEL_EVENTS) + " more events"));
  }
  function showEvents(title, ids) {
    open(title);
    body.appendChild(el("p", ids.length + (ids.length === 1 ? " event" : " events"), "kg-count"));
    eventList(ids);
  }
  function showNode(id) {
    var n = nodeById[id];
    if (!n) return;
    if (selected !== id) { selected = id; changed(); }
    open(n.label);
    body.appendChild(facts([
      ["Type", n.type], ["Role", n.role], ["Country", n.country], ["Wikidata", n.wikidata],
      ["Also called", (n.aliases || []).join(", ")], ["Events", n.degree]
    ]));
    var ids = incident[id];
    if (!ids.length) return;
    body.appendChild(el("h3", "Events"));
    eventList(ids, id);
  }
  function clearSelection() {
    if (selected === null) return;
    selected = null;
    network.unselectAll();
    changed();
  }
  function showEdge(id) {
    var e = edgeById[id];
    if (!e) return;
    open(phrase(e));
    body.appendChild(eventFacts(e));
    if (e.evidence) body.appendChild(el("blockquote", e.evidence));
  }
  document.getElementById("kg-close").addEventListener("click", function () { panel.hidden = true; });
  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  // ---- filters ----------------------------------------------------------------------------
  var status = document.getElementById("kg-status");
  var hiddenNode = {}, hiddenEdge = {};
  function control(id) { return document.getElementById(id); }

  function applyFilters() {
    var on = {};
    document.querySelectorAll("#kg-types input").forEach(function (box) { on[box.value] = box.checked; });
    var cameo = control("kg-cameo").value, plover = control("kg-plover").value;
    var from = control("kg-from").value, to = control("kg-to").value;
    var eventFilter = !!(cameo || plover || from || to);
    var touched = {}, edgeChanges = [], nodeChanges = [], shownEdges = 0, shownNodes = 0;
    data.edges.forEach(function (e) {
      var show = on[nodeById[e.from].type] && on[nodeById[e.to].type] &&
        (!cameo || e.root === cameo) && (!plover || e.plover === plover) &&
        (!from || (e.dmax != null && e.dmax >= from)) && (!to || (e.dmin != null && e.dmin <= to));
      if (show) { touched[e.from] = true; touched[e.to] = true; shownEdges++; }
      if (!show !== !!hiddenEdge[e.id]) { hiddenEdge[e.id] = !show; edgeChanges.push({ id: e.id, hidden: !show }); }
    });
    data.nodes.forEach(function (n) {
      var show = on[n.type] && (!eventFilter || touched[n.id] === true);
      if (show) shownNodes++;
      if (!show !== !!hiddenNode[n.id]) { hiddenNode[n.id] = !show; nodeChanges.push({ id: n.id, hidden: !show }); }
    });
    if (nodeChanges.length) nodeSet.update(nodeChanges);
    if (edgeChanges.length) edgeSet.update(edgeChanges);
    status.textContent = shownNodes + " of " + data.nodes.length + " entities, " +
      shownEdges + " of " + data.edges.length + " events";
    changed();
    return { nodes: shownNodes, edges: shownEdges };
  }
  document.querySelectorAll("#kg-types input, #kg-cameo, #kg-plover, #kg-from, #kg-to").forEach(function (c) {
    c.addEventListener("change", applyFilters);
  });
  control("kg-reset").addEventListener("click", function () {
    document.querySelectorAll("#kg-types input").forEach(function (box) { box.checked = true; });
    ["kg-cameo", "kg-plover", "kg-from", "kg-to"].forEach(function (id) { control(id).value = ""; });
    applyFilters();
  });

  // ---- search -----------------------------------------------------------------------------
  var lastQuery = null, lastIndex = -1;
  function matches(query) {
    var q = query.trim().toLowerCase();
    if (!q) return [];
    var found = data.nodes.filter(function (n) {
      if (hiddenNode[n.id]) return false;
      if (n.label.toLowerCase().indexOf(q) >= 0) return true;
      return (n.aliases || []).some(function (a) { return a.toLowerCase().indexOf(q) >= 0; });
    });
    found.sort(function (a, b) { return b.degree - a.degree || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0); });
    return found.map(function (n) { return n.id; });
  }
  // Enter on the same query steps to the next match
  function search(query) {
    var found = matches(query);
    if (!found.length) { status.textContent = "no entity matches “" + query + "”"; return null; }
    lastIndex = query === lastQuery ? (lastIndex + 1) % found.length : 0;
    lastQuery = query;
    var id = found[lastIndex];
    network.selectNodes([id]);
    showNode(id);
    // centre it in the part of the canvas the side panel leaves free
    network.focus(id, { scale: Math.max(network.getScale(), 1), animation: false,
                        offset: { x: -panel.offsetWidth / 2, y: 0 } });
    status.textContent = "match " + (lastIndex + 1) + " of " + found.length + ": " + nodeById[id].label;
    return id;
  }
  control("kg-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    search(control("kg-search").value);
  });

  applyFilters();
  if (data.focus && nodeById[data.focus]) { network.selectNodes([data.focus]); showNode(data.focus); }
  window.kgExplorer = {
    nodes: nodeSet, edges: edgeSet, network: network, data: data,
    search: search, matches: matches, applyFilters: applyFilters, showNode: showNode, showEdge: showEdge,
    showEvents: showEvents, clearSelection: clearSelection, el: el, label: label, phrase: phrase,
    nodeById: nodeById, incident: incident,
    selected: function () { return selected; },
    onChange: function (fn) { listeners.push(fn); },
    // the events that pass the filters, and that involve the selected entity when there is one
    visibleEdges: function () {
      var pool = selected === null ? data.edges : incident[selected].map(function (id) { return edgeById[id]; });
      return pool.filter(function (e) { return !hiddenEdge[e.id]; });
    }
  };
})();
