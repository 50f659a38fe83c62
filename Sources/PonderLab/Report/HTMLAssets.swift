/// The stylesheet and script inlined into `report.html`, which must work offline from a
/// single file (no CDN, no fonts, no network).
enum HTMLAssets {
    static let css = #"""
    :root { --fg: #1d1d1f; --muted: #6e6e73; --line: #d9d9de; --ok: #1e7d32; --bad: #b3261e; --accent: #4e79a7; }
    * { box-sizing: border-box; }
    body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--fg);
           margin: 0; background: #fafafa; }
    header { background: #fff; border-bottom: 1px solid var(--line); padding: 16px 28px; }
    header h1 { margin: 0 0 4px; font-size: 22px; }
    header .meta { color: var(--muted); font-size: 13px; }
    header .meta code { font-size: 12px; }
    nav { position: sticky; top: 0; z-index: 2; background: #fff; border-bottom: 1px solid var(--line);
          padding: 6px 28px; }
    nav a { margin-right: 18px; color: var(--accent); text-decoration: none; font-weight: 600; }
    main { padding: 8px 28px 60px; max-width: 1400px; }
    section { margin-top: 26px; }
    h2 { font-size: 18px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
    h3 { font-size: 15px; margin-bottom: 6px; }
    p.note { color: var(--muted); margin: 4px 0 10px; }
    .plots { display: flex; flex-wrap: wrap; gap: 16px; }
    .plots figure { margin: 0; background: #fff; border: 1px solid var(--line); padding: 6px; }
    .plots svg { max-width: 100%; height: auto; display: block; }
    table { border-collapse: collapse; background: #fff; font-size: 13px; margin: 6px 0 14px; }
    th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
    th { background: #f2f2f5; position: relative; white-space: nowrap; }
    table.sortable th { cursor: pointer; user-select: none; }
    table.sortable th::after { content: " ⇅"; color: #b0b0b8; font-size: 11px; }
    table.sortable th.asc::after { content: " ▲"; color: var(--fg); }
    table.sortable th.desc::after { content: " ▼"; color: var(--fg); }
    td.num { text-align: right; font-variant-numeric: tabular-nums; }
    .ok { color: var(--ok); font-weight: 600; }
    .bad { color: var(--bad); font-weight: 600; }
    .cell-ok { background: #e6f4ea; }
    .cell-mixed { background: #fff4d6; }
    .cell-bad { background: #fce8e6; }
    tr.problem { cursor: pointer; }
    tr.problem:hover td { background-image: linear-gradient(rgba(0,0,0,.04), rgba(0,0,0,.04)); }
    tr.detail > td { background: #fbfbfd; padding: 8px 12px; }
    pre.completion { white-space: pre-wrap; word-break: break-word; background: #f6f6f8; border: 1px solid var(--line);
                     padding: 8px; max-height: 320px; overflow: auto; margin: 4px 0; font-size: 12px; }
    button { font: inherit; font-size: 12px; padding: 1px 8px; border: 1px solid var(--line); background: #fff;
             border-radius: 4px; cursor: pointer; }
    button:hover { border-color: var(--accent); }
    .controls { margin: 6px 0; display: flex; gap: 14px; align-items: center; }
    .controls input[type=search] { padding: 4px 8px; border: 1px solid var(--line); border-radius: 4px; width: 240px; }
    #tree-view { background: #fff; border: 1px solid var(--line); padding: 10px 14px; min-height: 60px; }
    #tree-view details { margin-left: 18px; border-left: 1px dotted #c8c8d0; padding-left: 8px; }
    #tree-view > details { margin-left: 0; }
    #tree-view summary { cursor: pointer; padding: 1px 0; }
    #tree-view .stats { color: var(--muted); font-size: 12px; margin-left: 6px; }
    #tree-view .text { font-family: ui-monospace, Menlo, Consolas, monospace; background: #f3f3f6; padding: 0 4px;
                       border-radius: 3px; white-space: pre-wrap; }
    #tree-view .leaf { margin-left: 18px; padding: 1px 0 1px 8px; border-left: 1px dotted #c8c8d0; }
    #tree-view .leaf::before { content: "•"; color: var(--muted); display: inline-block; width: 14px; }
    .muted { color: var(--muted); }
    """#

    static let script = #"""
    "use strict";
    const data = JSON.parse(document.getElementById("ponder-data").textContent);

    // Sortable tables: click a header to sort by it; cells may carry data-sort (a number).
    function sortKey(cell) {
      const raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
      const num = parseFloat(raw);
      return isNaN(num) || !/^[-+]?[0-9.eE+-]+$/.test(raw) ? raw.toLowerCase() : num;
    }
    function makeSortable(table) {
      table.querySelectorAll("th").forEach((th, col) => {
        th.addEventListener("click", () => {
          const body = table.tBodies[0];
          const ascending = !th.classList.contains("asc");
          table.querySelectorAll("th").forEach(h => h.classList.remove("asc", "desc"));
          th.classList.add(ascending ? "asc" : "desc");
          const rows = Array.from(body.rows);
          rows.sort((a, b) => {
            const x = sortKey(a.cells[col]), y = sortKey(b.cells[col]);
            if (typeof x === "number" && typeof y === "number") return ascending ? x - y : y - x;
            return ascending ? String(x).localeCompare(String(y)) : String(y).localeCompare(String(x));
          });
          rows.forEach(r => body.appendChild(r));
        });
      });
    }
    document.querySelectorAll("table.sortable").forEach(makeSortable);

    function el(tag, attrs, ...children) {
      const node = document.createElement(tag);
      for (const [k, v] of Object.entries(attrs || {})) {
        if (k === "class") node.className = v; else if (k === "text") node.textContent = v;
        else if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
      }
      children.forEach(c => node.appendChild(typeof c === "string" ? document.createTextNode(c) : c));
      return node;
    }
    function si(v) {
      const units = [[1e15, "P"], [1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]];
      for (const [size, suffix] of units) if (Math.abs(v) >= size) return +(v / size).toFixed(2) + suffix;
      return String(+v.toFixed(2));
    }

    // Problem drill-down: one row per problem, expanding into its trials.
    const byProblem = new Map();
    data.trials.forEach(t => { if (!byProblem.has(t.p)) byProblem.set(t.p, []); byProblem.get(t.p).push(t); });
    const problemBody = document.querySelector("#problem-table tbody");
    function renderProblems() {
      const query = document.getElementById("problem-filter").value.trim().toLowerCase();
      const disagreeOnly = document.getElementById("disagree-only").checked;
      problemBody.textContent = "";
      let shown = 0;
      for (const problem of data.problems) {
        const trials = byProblem.get(problem.index) || [];
        if (query && !String(problem.id).toLowerCase().includes(query)) continue;
        const correct = trials.filter(t => t.correct).length;
        if (disagreeOnly && (correct === 0 || correct === trials.length)) continue;
        shown++;
        const row = el("tr", { class: "problem", title: "click to show this problem's trials" },
          el("td", { text: String(problem.id) }),
          el("td", { class: "num", text: problem.difficulty === null ? "–" : String(problem.difficulty) }));
        for (const s of data.strategies) {
          const mine = trials.filter(t => t.s === s);
          const ok = mine.filter(t => t.correct).length;
          const cls = mine.length === 0 ? "" : ok === mine.length ? "cell-ok" : ok === 0 ? "cell-bad" : "cell-mixed";
          row.appendChild(el("td", { class: "num " + cls, "data-sort": mine.length ? ok / mine.length : -1,
                                     text: mine.length ? ok + "/" + mine.length : "–" }));
        }
        row.addEventListener("click", () => toggleDetail(row, problem, trials));
        problemBody.appendChild(row);
      }
      document.getElementById("problem-count").textContent = shown + " of " + data.problems.length + " problems";
    }
    function toggleDetail(row, problem, trials) {
      const next = row.nextElementSibling;
      if (next && next.classList.contains("detail")) { next.remove(); return; }
      const table = el("table", { class: "sortable" },
        el("thead", {}, el("tr", {}, ...["strategy", "budget", "seed", "answer", "correct", "FLOPs", "tokens",
                                         "seconds", "candidates (correct)", "output"].map(h => el("th", { text: h })))),
        el("tbody"));
      for (const t of trials) {
        const outputCell = el("td");
        const pre = el("pre", { class: "completion", text: t.completion + (t.truncated ? "\n… (truncated)" : "") });
        pre.hidden = true;
        outputCell.appendChild(el("button", { text: "completion", onclick: e => { e.stopPropagation(); pre.hidden = !pre.hidden; } }));
        if (t.tree !== null) {
          outputCell.appendChild(document.createTextNode(" "));
          outputCell.appendChild(el("button", { text: "tree", onclick: e => {
            e.stopPropagation(); showTree(t.tree, problem.id + " · " + t.s + " · " + t.b + " · seed " + t.seed, true); } }));
        }
        outputCell.appendChild(pre);
        table.tBodies[0].appendChild(el("tr", {},
          el("td", { text: t.s }), el("td", { text: t.b }), el("td", { class: "num", text: String(t.seed) }),
          el("td", { text: t.answer === null ? "(none)" : t.answer }),
          el("td", { class: t.correct ? "ok" : "bad", text: t.correct ? "✓" : "✗" }),
          el("td", { class: "num", "data-sort": t.flops, text: si(t.flops) }),
          el("td", { class: "num", text: String(t.tokens) }),
          el("td", { class: "num", text: t.secs.toFixed(2) }),
          el("td", { class: "num", text: t.cands ? t.cands[0] + " (" + t.cands[1] + ")" : "–" }),
          outputCell));
      }
      makeSortable(table);
      const cell = el("td", { colspan: String(row.cells.length) },
        el("div", { class: "muted", text: "problem " + problem.id + " — " + trials.length + " trials" }), table);
      row.after(el("tr", { class: "detail" }, cell));
    }
    document.getElementById("problem-filter").addEventListener("input", renderProblems);
    document.getElementById("disagree-only").addEventListener("change", renderProblems);
    renderProblems();

    // Tree viewer: expandable nodes, children rendered when first opened (trees can be large).
    function nodeSummary(node) {
      const parts = [];
      if (node.visits !== undefined) parts.push("visits " + node.visits);
      if (node.value !== undefined) parts.push("value " + Number(node.value).toFixed(3));
      if (node.prior !== undefined) parts.push("prior " + Number(node.prior).toFixed(3));
      if (node.tokenStart !== undefined) parts.push("tokens " + node.tokenStart + "–" + (node.tokenEnd ?? "?"));
      const children = node.children || [];
      if (children.length) parts.push(children.length + " children");
      return parts.join(" · ");
    }
    function renderNode(node, openDepth) {
      const children = (node.children || []).slice().sort((a, b) => (b.visits || 0) - (a.visits || 0));
      const label = [el("span", { class: "text", text: node.text === undefined ? "(root)" : JSON.stringify(node.text).slice(1, -1) }),
                     el("span", { class: "stats", text: (node.id !== undefined ? "#" + node.id + " · " : "") + nodeSummary(node) })];
      if (!children.length) return el("div", { class: "leaf" }, ...label);
      const details = el("details", {}, el("summary", {}, ...label));
      let rendered = false;
      const fill = () => { if (!rendered) { rendered = true; children.forEach(c => details.appendChild(renderNode(c, openDepth - 1))); } };
      details.addEventListener("toggle", () => { if (details.open) fill(); });
      if (openDepth > 0) { details.open = true; fill(); }
      return details;
    }
    function countNodes(node) { return 1 + (node.children || []).reduce((s, c) => s + countNodes(c), 0); }
    function showTree(index, title, scroll) {
      const view = document.getElementById("tree-view");
      const tree = data.trees[index];
      view.textContent = "";
      view.appendChild(el("h3", { text: title }));
      view.appendChild(el("p", { class: "note", text: countNodes(tree) + " nodes; children sorted by visits; click a node to expand it." }));
      view.appendChild(renderNode(tree, 2));
      if (scroll) document.getElementById("trees").scrollIntoView({ behavior: "smooth" });
    }
    const firstTree = data.trials.find(t => t.tree !== null);
    if (firstTree) showTree(firstTree.tree, "problem " + firstTree.pid + " · " + firstTree.s + " · " + firstTree.b + " · seed " + firstTree.seed, false);
    """#

    /// Click a legend entry to select its strategy family in every plot (its band darkens, the
    /// rest fade); click it again, or press Escape, to clear. The look is `PlotStyle.css`, so
    /// hover highlighting works without this script in the standalone SVG files.
    static let plotScript = #"""
    "use strict";
    (() => {
      let selected = null;
      function select(family) {
        selected = selected === family ? null : family;
        document.querySelectorAll("svg.ponder-plot").forEach(svg => svg.classList.toggle("has-selection", selected !== null));
        document.querySelectorAll("svg.ponder-plot .series, svg.ponder-plot .legend-entry").forEach(node =>
          node.classList.toggle("selected", node.dataset.family === selected));
      }
      document.querySelectorAll("svg.ponder-plot .legend-entry").forEach(entry =>
        entry.addEventListener("click", () => select(entry.dataset.family)));
      document.addEventListener("keydown", e => { if (e.key === "Escape" && selected !== null) select(selected); });
    })();
    """#
}
