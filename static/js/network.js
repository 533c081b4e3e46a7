// The network view: draws a record's public network from /explore/graph.json with Cytoscape.
// The drawing is for mouse users who can see it; the page's lists of relationships say the
// same for keyboards and screen readers, and on the explorer this script keeps the list in
// step with the year chosen. No inline script or style: the site's CSP allows neither.
(function () {
  "use strict";

  const section = document.querySelector("section.network");
  if (!section || typeof window.cytoscape !== "function") {
    return; // without the library the page's lists stand alone, as without JavaScript
  }
  const text = section.dataset;
  // Okabe-Ito colours, told apart by colour-blind readers; each type has its shape too.
  const LOOK = {
    person: { colour: "#0072b2", shape: "ellipse" },
    organization: { colour: "#e69f00", shape: "round-rectangle" },
    case: { colour: "#009e73", shape: "diamond" },
    event: { colour: "#cc79a7", shape: "hexagon" },
  };
  const CROWDED = 16; // edges beyond which their labels would cover one another
  const STYLE = [
    {
      selector: "node",
      style: {
        "background-color": "data(colour)",
        shape: "data(shape)",
        width: 26,
        height: 26,
        label: "data(label)",
        "font-size": 11,
        color: "#1c1b19",
        "text-wrap": "wrap",
        "text-max-width": 150,
        "text-valign": "bottom",
        "text-margin-y": 4,
        "text-background-color": "#fdfcf8",
        "text-background-opacity": 0.85,
        "text-background-padding": 1,
      },
    },
    {
      selector: "node[?focus]",
      style: { width: 42, height: 42, "border-width": 4, "border-color": "#1c1b19", "font-weight": "bold" },
    },
    {
      selector: "edge",
      style: {
        width: 2,
        "line-color": "#6b665c",
        "curve-style": "bezier",
        label: "data(text)",
        "font-size": 10,
        color: "#55524c",
        "text-wrap": "wrap",
        "text-background-color": "#fdfcf8",
        "text-background-opacity": 1,
        "text-background-padding": 2,
        "text-events": "yes",
      },
    },
    { selector: "edge[!evidence]", style: { "line-style": "dashed" } },
    // In a crowded network an edge's label shows only once the edge is chosen.
    { selector: "edge.quiet", style: { label: "" } },
    { selector: "edge.quiet:selected", style: { label: "data(text)" } },
    { selector: "edge:selected", style: { width: 5, "line-color": "#8a2f0c", color: "#8a2f0c" } },
    { selector: "node:selected", style: { "border-width": 4, "border-color": "#8a2f0c" } },
  ];

  // Cytoscape adds a <style> element (a container's position) unless an element with this id
  // exists. The CSP refuses inline styles, and memoria.css gives the container its position.
  if (!document.getElementById("__________cytoscape_stylesheet")) {
    document.head.append(Object.assign(document.createElement("template"), { id: "__________cytoscape_stylesheet" }));
  }
  const canvas = section.querySelector(".network-canvas");
  const slider = section.querySelector("#network-year");
  const output = section.querySelector("#network-year-value");
  const allYears = section.querySelector(".network-all");
  const panel = section.querySelector(".network-panel");
  const summary = document.querySelector(".network-summary");
  const list = document.getElementById("network-edges"); // the explorer's list of relationships
  const none = document.getElementById("network-none");
  const yearField = document.getElementById("explore-year"); // the explorer's form, without JS
  let year = text.year ? Number(text.year) : null;
  let asked = 0;
  let timer = null;

  function address(base, params) {
    const url = new URL(base, window.location.href);
    for (const [name, value] of Object.entries(params)) {
      if (value !== null && value !== undefined && value !== "") {
        url.searchParams.set(name, value);
      }
    }
    return url.pathname + url.search;
  }

  function exploreAddress(focus) {
    return address(text.exploreUrl, { focus, depth: text.depth === "1" ? null : text.depth, year });
  }

  function element(tag, content, attributes) {
    const made = document.createElement(tag);
    if (content) {
      made.textContent = content;
    }
    Object.assign(made, attributes || {});
    return made;
  }

  async function fetchNetwork(forYear) {
    const url = address(text.graphUrl, { focus: text.focus, depth: text.depth, year: forYear });
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      throw new Error(`${url} answered ${response.status}`);
    }
    return response.json();
  }

  function yearsOf(body) {
    const years = [];
    for (const item of [...body.nodes, ...body.edges]) {
      for (const day of [item.earliest, item.latest]) {
        if (day) {
          years.push(Number(day.slice(0, 4)));
        }
      }
    }
    return years;
  }

  function setRange(body) {
    const years = yearsOf(body);
    const controls = section.querySelector(".network-controls");
    if (!years.length) {
      controls.hidden = true;
      return;
    }
    slider.min = String(Math.min(...years));
    slider.max = String(Math.min(Math.max(...years), new Date().getFullYear()));
    slider.value = String(year === null ? slider.max : year);
  }

  function showYear() {
    output.textContent = year === null ? text.allYears : String(year);
    allYears.hidden = year === null;
    if (yearField) {
      yearField.value = year === null ? "" : String(year);
    }
    if (list) {
      window.history.replaceState(null, "", exploreAddress(text.focus));
    }
  }

  function draw(body) {
    const names = Object.fromEntries(body.nodes.map((node) => [node.id, node]));
    const elements = body.nodes.map((node) => ({
      group: "nodes",
      data: {
        id: node.id,
        label: node.label,
        colour: LOOK[node.type].colour,
        shape: LOOK[node.type].shape,
        step: node.step,
        focus: node.id === body.focus,
      },
    }));
    body.edges.forEach((edge, index) => {
      elements.push({
        group: "edges",
        data: {
          id: `edge-${index}`,
          index,
          source: edge.source,
          target: edge.target,
          text: edge.dates ? `${edge.label}\n${edge.dates}` : edge.label,
          evidence: Boolean(edge.evidence),
        },
        classes: body.edges.length > CROWDED ? "quiet" : "",
      });
    });
    if (section.cy) {
      section.cy.destroy();
    }
    const cy = window.cytoscape({
      container: canvas,
      elements,
      style: STYLE,
      layout: {
        name: "concentric",
        concentric: (node) => 10 - node.data("step"),
        levelWidth: () => 1,
        startAngle: Math.PI, // the first neighbours left and right: the box is wider than tall
        minNodeSpacing: 80,
        spacingFactor: 1.1,
        padding: 40,
        animate: false,
      },
      maxZoom: 2.5,
      // On a record's page the wheel scrolls the page, as everywhere else; the explorer's
      // larger drawing zooms, for a crowded network's labels.
      userZoomingEnabled: !section.classList.contains("network-compact"),
      boxSelectionEnabled: false,
      autoungrabify: true,
    });
    cy.on("tap", "edge", (event) => showEdge(body.edges[event.target.data("index")], names));
    cy.on("tap", "node", (event) => {
      const node = names[event.target.id()];
      if (node.id === body.focus) {
        showNode(node);
      } else {
        window.location.assign(exploreAddress(node.id));
      }
    });
    if (cy.zoom() > 1.25) {
      cy.zoom({ level: 1.25, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    }
    section.cy = cy; // for the browser tests, and for anyone curious in the console
  }

  function sentence(edge, names) {
    const role = edge.role ? ` (${edge.role})` : "";
    const dates = edge.dates ? `, ${edge.dates}` : "";
    return `${names[edge.source].label} – ${edge.label}${role} – ${names[edge.target].label}${dates}`;
  }

  function showEdge(edge, names) {
    const evidence = element("p");
    if (edge.evidence) {
      evidence.append(`${text.evidence}: `, element("a", edge.evidence.title, { href: edge.evidence.url }));
    } else {
      evidence.textContent = text.noEvidence;
    }
    panel.replaceChildren(element("p", sentence(edge, names), { className: "network-edge" }), evidence);
  }

  function showNode(node) {
    const paragraph = element("p");
    paragraph.append(element("a", `${text.openRecord}: ${node.label}`, { href: node.url }));
    panel.replaceChildren(paragraph);
  }

  function describe(body) {
    if (!summary) {
      return;
    }
    const shown = body.nodes.length === 1 ? text.shownOne : text.shownMany.replace("{n}", body.nodes.length);
    summary.textContent = body.more ? `${shown}, ${text.more.replace("{n}", body.more)}.` : `${shown}.`;
  }

  function relist(body) {
    const names = Object.fromEntries(body.nodes.map((node) => [node.id, node]));
    const items = body.edges.map((edge) => {
      const item = element("li");
      const from = names[edge.source];
      const to = names[edge.target];
      const other = from.id === body.focus ? to : from;
      const role = edge.role ? ` (${edge.role})` : "";
      item.append(
        element("a", from.label, { href: from.url }),
        ` – ${edge.label}${role} – `,
        element("a", to.label, { href: to.url }),
      );
      if (edge.dates) {
        item.append(`, ${edge.dates}`);
      }
      if (edge.evidence) {
        item.append(`. ${text.evidence}: `, element("a", edge.evidence.title, { href: edge.evidence.url }));
      }
      item.append(" · ", element("a", text.recentre, { href: exploreAddress(other.id) }));
      return item;
    });
    list.replaceChildren(...items);
    if (none) {
      none.hidden = items.length > 0;
    }
  }

  async function load() {
    const mine = ++asked;
    let body;
    try {
      body = await fetchNetwork(year);
    } catch {
      if (mine === asked) {
        panel.replaceChildren(element("p", text.failed));
      }
      return;
    }
    if (mine !== asked) {
      return; // another year was chosen meanwhile: draw that one
    }
    panel.replaceChildren();
    draw(body);
    describe(body);
    if (list) {
      relist(body);
    }
    section.dataset.drawn = year === null ? "all" : String(year);
  }

  slider.addEventListener("input", () => {
    year = Number(slider.value);
    showYear();
    window.clearTimeout(timer);
    timer = window.setTimeout(load, 200); // one request once a keyboard's arrows stop
  });
  allYears.addEventListener("click", () => {
    year = null;
    slider.value = slider.max;
    showYear();
    slider.focus(); // the button hides itself: keep the keyboard where it was
    load();
  });

  async function start() {
    section.hidden = false;
    const everything = await fetchNetwork(null);
    setRange(everything);
    showYear();
    if (year === null) {
      asked += 1;
      draw(everything);
      describe(everything);
      section.dataset.drawn = "all";
    } else {
      await load();
    }
  }

  start().catch(() => {
    panel.replaceChildren(element("p", text.failed));
    canvas.hidden = true;
  });
})();
