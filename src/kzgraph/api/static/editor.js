// The SPARQL editor (no libraries, nothing fetched from elsewhere): runs the query in the box
// against /sparql, shows the rows, keeps the query in the page's URL so the link can be shared,
// and points the CSV link at /editor/results.csv. Ctrl+Enter (Cmd+Enter) runs the query.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const data = JSON.parse($("editor-data").textContent);
  const form = $("editor-form"), box = $("query"), status = $("status");
  const errorBox = $("error"), output = $("output"), count = $("count");
  let running = null;

  function localHref(iri) {
    return iri.startsWith(data.base) ? "/" + iri.slice(data.base.length) : iri;
  }

  // Only http(s), mailto and relative links: an IRI such as javascript:… or data:… from the
  // results is shown as text (the browser's own URL parser decides the scheme).
  const SAFE_SCHEMES = ["http:", "https:", "mailto:"];
  function safeHref(href) {
    try {
      return SAFE_SCHEMES.includes(new URL(href, document.baseURI).protocol) ? href : null;
    } catch (e) {
      return null;
    }
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    const href = term.type === "uri" ? safeHref(localHref(term.value)) : null;
    if (href !== null) {
      const a = document.createElement("a");
      a.href = href;
      a.textContent = term.value;
      td.appendChild(a);
    } else if (term.type === "uri") {
      td.textContent = term.value;
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) td.title = "@" + term["xml:lang"];
      else if (term.datatype) td.title = term.datatype;
    }
    return td;
  }

  function table(results) {
    const vars = results.head.vars || [];
    const t = document.createElement("table");
    t.id = "results";
    const head = t.createTHead().insertRow();
    for (const v of vars) {
      const th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    }
    const body = t.createTBody();
    for (const row of results.results.bindings) {
      const tr = body.insertRow();
      for (const v of vars) tr.appendChild(cell(row[v]));
    }
    return t;
  }

  function links(query) {
    const q = "?query=" + encodeURIComponent(query);
    $("share").href = "/editor" + q;
    $("csv").href = "/editor/results.csv" + q;
    history.replaceState(null, "", "/editor" + q);
  }

  function showError(body, httpStatus) {
    let text = "Error " + httpStatus;
    if (body && body.error) {
      text = body.error + (body.message ? ": " + body.message : "");
      if (body.line) {
        text = "line " + body.line + ", column " + body.column + ": " + text;
        selectPosition(body.line, body.column);
      }
    }
    errorBox.textContent = text;
    errorBox.hidden = false;
  }

  // Oxigraph's column is just past the character it stopped at: select that character.
  function selectPosition(line, column) {
    const lines = box.value.split("\n");
    let offset = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
    const end = Math.min(offset + Math.max(1, column - 1), box.value.length);
    box.focus();
    box.setSelectionRange(Math.max(offset, end - 1), end);
  }

  async function run() {
    const query = box.value;
    if (!query.trim()) return;
    links(query);
    if (running) running.abort();
    running = new AbortController();
    errorBox.hidden = true;
    output.textContent = "";
    count.textContent = "";
    status.textContent = "Running…";
    const started = performance.now();
    try {
      const response = await fetch("/sparql", {
        method: "POST",
        headers: {
          "Content-Type": "application/sparql-query",
          Accept: "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: query,
        signal: running.signal,
      });
      const ms = Math.round(performance.now() - started);
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok) {
        status.textContent = "";
        showError(type.includes("json") ? await response.json() : null, response.status);
        return;
      }
      if (type.includes("sparql-results+json")) {
        const results = await response.json();
        if ("boolean" in results) {
          count.textContent = "Answer: " + results.boolean;
        } else {
          const n = results.results.bindings.length;
          count.textContent = n + " row(s)";
          output.appendChild(table(results));
        }
      } else {
        const pre = document.createElement("pre");
        pre.id = "graph";
        pre.textContent = await response.text();
        output.appendChild(pre);
        count.textContent = "Graph (Turtle)";
      }
      status.textContent = "done in " + ms + " ms";
    } catch (err) {
      if (err.name === "AbortError") return;
      status.textContent = "";
      errorBox.textContent = "The server could not be reached: " + err.message;
      errorBox.hidden = false;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
  $("examples").addEventListener("change", (event) => {
    const example = data.examples[event.target.value];
    if (!example) return;
    box.value = example.query;
    links(box.value);
  });
  box.addEventListener("input", () => links(box.value));
  links(box.value);
  if (new URLSearchParams(location.search).has("query")) run();
})();
