/* kg query page: named queries, the editor and a results table. Results reach the page
 * through textContent only, never as HTML. */
(() => {
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const $ = (id) => document.getElementById(id);
  const editor = $("kg-query"), status = $("kg-status"), results = $("kg-results");
  const el = (tag, text) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; };
  const short = (v) => {
    for (const [p, ns] of data.prefixes) if (v.startsWith(ns) && v.length > ns.length) return p + ":" + v.slice(ns.length);
    return v;
  };
  for (const q of data.queries) {
    const item = el("li"), button = el("button", q.name);
    button.type = "button";
    button.dataset.query = q.name;
    button.addEventListener("click", () => {
      editor.value = q.text;
      status.textContent = "Loaded " + q.name + (q.params.length ? "; fill in the empty \"\" for " + q.params.join(", ") : "");
    });
    item.append(button, el("span", q.description));
    $("kg-named").append(item);
  }
  async function run() {
    status.textContent = "Running\u2026";
    results.replaceChildren();
    const started = performance.now();
    let response, text;
    try {
      response = await fetch("sparql", {method: "POST", body: new URLSearchParams({query: editor.value}),
        headers: {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json, text/turtle;q=0.9"}});
      text = await response.text();
    } catch (error) { status.textContent = "Network error: " + error; return; }
    if (!response.ok) { status.textContent = "Error " + response.status + ": " + text; return; }
    const took = " in " + ((performance.now() - started) / 1000).toFixed(2) + " s";
    const cut = response.headers.get("X-KG-Truncated") === "true" ? " (truncated)" : "";
    if (!(response.headers.get("Content-Type") || "").includes("json")) {
      results.append(el("pre", text)); status.textContent = "Graph" + took + cut; return;
    }
    const body = JSON.parse(text);
    if ("boolean" in body) { results.append(el("p", String(body.boolean))); status.textContent = "Answer" + took; return; }
    const table = el("table"), head = el("tr"), rows = el("tbody");
    for (const name of body.head.vars) head.append(el("th", name));
    for (const binding of body.results.bindings) {
      const row = el("tr");
      for (const name of body.head.vars) {
        const term = binding[name], cell = el("td", term ? (term.type === "uri" ? short(term.value) : term.value) : "");
        if (term && term.type === "uri") cell.title = term.value;
        row.append(cell);
      }
      rows.append(row);
    }
    table.append(el("thead"), rows);
    table.firstChild.append(head);
    results.append(table);
    const n = body.results.bindings.length;
    status.textContent = n + (n === 1 ? " row" : " rows") + took + cut;
  }
  $("kg-run").addEventListener("click", run);
  editor.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); } });
})();
