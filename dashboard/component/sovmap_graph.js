// sovmap's graph browser component: a layered (dagre, left to right) Cytoscape.js view that keeps what the
// user sees across Streamlit reruns.
//
// Streamlit component protocol (as streamlit-component-lib speaks it): this frame posts
// "streamlit:componentReady" to its parent, receives "streamlit:render" messages with the arguments from
// Python, and posts "streamlit:setComponentValue" (a click or double-click) and "streamlit:setFrameHeight".
//
// A new `view` argument (another focus, direction or mode) lays everything out afresh and fits it. The same
// `view` with other elements (a node expanded, a highlight) keeps every drawn node where it is, the zoom and
// the pan: only new nodes are placed, next to the node they hang off. User values (names, ids) only ever reach
// Cytoscape's canvas labels and data, never the DOM as HTML.
(function () {
  "use strict";

  var MIN_READABLE_ZOOM = 0.75;  // fit never zooms out further; the user pans to see the rest
  var MAX_FIT_ZOOM = 1.3;  // nor in further: a small chain stays at a natural size
  var FIT_PADDING = 24;  // px between the drawing and the frame's edge
  var cy = null;
  var view = null;
  var renders = 0;
  var layouts = 0;
  var lastHeight = 0;
  var tapTimer = null;
  var rankDir = "LR";  // "RL" when the focus is what everything depends on: it still comes first, on the left
  var userMoved = false;  // the user zoomed or panned this view: a resize of the frame keeps their viewport
  var fitMode = "readable";  // "all": the whole drawing inside the frame (an overview, as the impact page draws)

  function send(type, data) {
    var message = Object.assign({ isStreamlitMessage: true, type: type }, data || {});
    window.parent.postMessage(message, "*");
  }

  function setValue(value) {
    send("streamlit:setComponentValue", { value: value, dataType: "json" });
  }

  function setHeight(height) {
    if (height !== lastHeight) {
      lastHeight = height;
      send("streamlit:setFrameHeight", { height: height });
    }
  }

  var STYLE = [
    { selector: "node", style: {
      "label": "data(label)", "width": 26, "height": 26, "font-size": 13, "color": "#262730",
      "text-valign": "bottom", "text-halign": "center", "text-margin-y": 4, "text-wrap": "wrap",
      "text-max-width": 130, "background-color": "data(colour)", "border-width": 1.5, "border-color": "#ffffff",
      "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 1 } },
    { selector: "edge", style: {
      "width": 1.4, "curve-style": "bezier", "target-arrow-shape": "triangle", "arrow-scale": 0.8,
      "line-color": "#b8bcc6", "target-arrow-color": "#b8bcc6" } },
    { selector: "edge.owned_by", style: { "line-style": "dashed" } },
    { selector: "edge.alternative", style: { "line-style": "dotted", "width": 2 } },
    { selector: "node.process", style: { "shape": "round-rectangle", "width": 34 } },
    { selector: "node.dataset", style: { "shape": "barrel" } },
    { selector: "node.supplier", style: { "shape": "diamond", "width": 30, "height": 30 } },
    { selector: "node.location", style: { "shape": "hexagon" } },
    { selector: "node.country", style: { "shape": "tag", "width": 30 } },
    { selector: "node.junction", style: {
      "shape": "ellipse", "width": 34, "height": 34, "background-color": "#ffffff", "border-width": 2.5,
      "border-color": "#6b7080", "text-valign": "center", "text-margin-y": 0, "font-size": 12,
      "font-weight": "bold", "text-background-opacity": 0 } },
    { selector: "node.aggregate", style: {
      "shape": "round-rectangle", "width": 44, "height": 30, "border-width": 2, "border-color": "#6b7080",
      "border-style": "double" } },
    { selector: "node.noneu", style: { "border-width": 4, "border-color": "#d62728" } },
    { selector: "node.unknownowner", style: { "border-width": 4, "border-color": "#8c8c8c", "border-style": "dashed" } },
    { selector: "node.focus", style: { "width": 40, "height": 40, "font-size": 15, "font-weight": "bold" } },
    { selector: ":parent", style: {
      "shape": "round-rectangle", "background-color": "#f3f4f8", "background-opacity": 1, "border-width": 1.5,
      "border-color": "#9aa0ae", "border-style": "dashed", "text-valign": "top", "text-halign": "center",
      "text-margin-y": -4, "padding": 14, "font-size": 13, "font-weight": "bold" } },
    { selector: "node.dim", style: { "opacity": 0.25 } },
    { selector: "edge.dim", style: { "opacity": 0.15 } },
    { selector: "node.hl", style: { "underlay-color": "#ffbf00", "underlay-opacity": 0.45, "underlay-padding": 7,
      "underlay-shape": "ellipse", "font-weight": "bold" } },
    { selector: "edge.hl", style: { "width": 4.5, "line-color": "#f08c00", "target-arrow-color": "#f08c00",
      "z-index": 9 } },
    { selector: "node:selected", style: { "overlay-color": "#1c83e1", "overlay-opacity": 0.2, "overlay-padding": 6 } }
  ];

  function layoutOptions(fit) {
    return { name: "dagre", rankDir: rankDir, rankSep: 60, nodeSep: 16, edgeSep: 8, ranker: "network-simplex",
             nodeDimensionsIncludeLabels: true, animate: false, fit: fit, padding: 30 };
  }

  function fitReadable() {
    // Fit everything, but never so small that labels cannot be read nor larger than life. A drawing smaller
    // than the frame sits at its top, centred across; a larger one shows its left end with the focus in view.
    cy.fit(cy.elements(), 30);
    var zoom = Math.min(Math.max(cy.zoom(), MIN_READABLE_ZOOM), MAX_FIT_ZOOM);
    cy.zoom(zoom);
    var bb = cy.elements().boundingBox();
    var x = (bb.w * zoom < cy.width() - 60) ? (cy.width() - bb.w * zoom) / 2 : 30;
    var y = 40;
    var focus = cy.nodes(".focus");
    if (bb.h * zoom > cy.height() - 60 && focus.length) {
      var below = (focus.position("y") - bb.y1) * zoom;  // the focus's height within the drawing
      y = Math.min(40, cy.height() / 2 - below);
    }
    cy.pan({ x: x - bb.x1 * zoom, y: y - bb.y1 * zoom });
  }

  function fitAll() {
    // Everything inside the frame, labels included, however small that makes it; never larger than life.
    cy.fit(cy.elements(), FIT_PADDING);
    if (cy.zoom() > MAX_FIT_ZOOM) {
      cy.zoom(MAX_FIT_ZOOM);
      cy.center(cy.elements());
    }
  }

  function fitView() {
    if (!cy || !cy.width() || !cy.height()) { return; }  // no size yet: the resize that gives it fits again
    if (fitMode === "all") { fitAll(); } else { fitReadable(); }
  }

  function occupied(pos, placed) {
    return placed.some(function (q) { return Math.abs(q.x - pos.x) < 150 && Math.abs(q.y - pos.y) < 72; });
  }

  function placeNew(added, anchorId) {
    // Put each new node beside a drawn neighbour (the expanded node first): right of it when the new node is
    // what it depends on, left when the new node depends on it; then down until the spot is free.
    var placed = cy.nodes().not(added).filter(function (n) { return !n.isParent(); })
      .map(function (n) { return n.position(); });
    added.forEach(function (node) {
      if (node.isParent()) { return; }
      var nb = node.neighborhood("node").not(added);
      var anchor = anchorId ? nb.filter(function (n) { return n.id() === anchorId; }) : cy.collection();
      if (!anchor.length) { anchor = nb; }
      var base = anchor.length ? anchor[0] : cy.nodes(".focus")[0];
      var pos;
      if (anchorId && gone[anchorId]) {  // the members of an opened aggregate take its place
        pos = Object.assign({}, gone[anchorId]);
      } else {
        pos = base ? Object.assign({}, base.position()) : { x: 0, y: 0 };
        var out = base && node.edgesWith(base).filter(function (e) { return e.source().id() === base.id(); });
        pos.x += ((out && out.length) ? 160 : -160) * (rankDir === "RL" ? -1 : 1);
      }
      // The first free spot: the centre, then up and down (12 each way), then the same in a next column.
      var x0 = pos.x, y0 = pos.y, dir = (pos.x >= (base ? base.position("x") : 0)) ? 1 : -1;
      for (var step = 1; occupied(pos, placed) && step < 2500; step++) {
        var col = Math.floor(step / 25), k = step % 25;
        pos.x = x0 + col * 160 * dir;
        pos.y = y0 + Math.ceil(k / 2) * 74 * (k % 2 ? 1 : -1);
      }
      node.position(pos);
      placed.push(pos);
    });
  }

  function init() {
    cy = cytoscape({ container: document.getElementById("cy"), style: STYLE, wheelSensitivity: 0.3,
                     minZoom: 0.02, maxZoom: 3, boxSelectionEnabled: false });
    cy.on("tap", "node", function (evt) {
      var id = evt.target.id();
      if (tapTimer) { clearTimeout(tapTimer); }
      tapTimer = setTimeout(function () {
        tapTimer = null;
        setValue({ action: "select", node: id, ts: Date.now() });
      }, 280);
    });
    cy.on("dbltap", "node", function (evt) {
      if (tapTimer) { clearTimeout(tapTimer); tapTimer = null; }
      setValue({ action: "expand", node: evt.target.id(), ts: Date.now() });
    });
    document.getElementById("fit").addEventListener("click", fitView);
    var box = document.getElementById("cy");
    ["wheel", "mousedown", "touchstart"].forEach(function (name) {
      box.addEventListener(name, function () { userMoved = true; }, { passive: true });
    });
    // The frame gets its height only after the first render: fit again then, unless the user moved already.
    function resized() {
      cy.resize();
      if (!userMoved) { fitView(); }
    }
    window.addEventListener("resize", resized);
    if (window.ResizeObserver) { new ResizeObserver(resized).observe(box); }
  }

  var gone = {};  // positions of nodes removed by the last update (an opened aggregate): its members go there

  function sync(elements) {
    var wanted = {};
    gone = {};
    var all = elements.nodes.concat(elements.edges);
    all.forEach(function (el) { wanted[el.data.id] = el; });
    cy.batch(function () {
      cy.elements().forEach(function (el) {
        if (!wanted[el.id()]) {
          if (el.isNode()) { gone[el.id()] = Object.assign({}, el.position()); }
          el.remove();
        }
      });
    });
    var fresh = [];
    all.forEach(function (el) {
      var have = cy.getElementById(el.data.id);
      if (have.length) {
        have.data(el.data);
        have.classes(el.classes || "");
      } else {
        fresh.push(el);
      }
    });
    var added = cy.add(fresh.map(function (el) {
      return { group: el.data.source ? "edges" : "nodes", data: el.data, classes: el.classes || "" };
    }));
    return added.nodes();
  }

  function render(args) {
    renders += 1;
    var height = args.height || 640;
    document.body.style.height = height + "px";
    document.getElementById("fit").textContent = (args.texts && args.texts.fit) || "Fit";
    setHeight(height);
    if (!cy) { init(); }
    cy.resize();
    var elements = args.elements || { nodes: [], edges: [] };
    if (args.view !== view) {
      view = args.view;
      rankDir = args.rank_dir === "RL" ? "RL" : "LR";
      fitMode = args.fit === "all" ? "all" : "readable";
      userMoved = false;
      cy.elements().remove();
      cy.add(elements.nodes.map(function (el) { return { group: "nodes", data: el.data, classes: el.classes || "" }; }));
      cy.add(elements.edges.map(function (el) { return { group: "edges", data: el.data, classes: el.classes || "" }; }));
      cy.layout(layoutOptions(false)).run();
      layouts += 1;
      fitView();
    } else {
      var added = sync(elements);
      if (added.length) { placeNew(added, args.anchor); }
    }
  }

  window.sovmapGraph = {
    // The component's state for tests and diagnostics: what is drawn, where, and what is highlighted.
    state: function () {
      if (!cy) { return null; }
      return {
        view: view, renders: renders, layouts: layouts, zoom: cy.zoom(), pan: cy.pan(), fit: fitMode,
        width: cy.width(), height: cy.height(),
        nodes: cy.nodes().map(function (n) {
          return { id: n.id(), x: n.position("x"), y: n.position("y"), classes: n.classes(),
                   label: n.data("label"), parent: n.data("parent") || null,
                   box: n.renderedBoundingBox({ includeLabels: true }) };
        }),
        edges: cy.edges().map(function (e) {
          return { id: e.id(), source: e.source().id(), target: e.target().id(), classes: e.classes() };
        }),
        highlighted: cy.nodes(".hl").map(function (n) { return n.id(); }).sort(),
        highlightedEdges: cy.edges(".hl").map(function (e) { return [e.source().id(), e.target().id()]; })
      };
    },
    cy: function () { return cy; }
  };

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (data && data.type === "streamlit:render") { render(data.args || {}); }
  });
  send("streamlit:componentReady", { apiVersion: 1 });
}());
