// The SPARQL editor: YASGUI (vendored, docs/decisions/0022-sparql-editor.md) against /sparql on
// this server. Nothing is fetched from elsewhere: completion comes from our own ontology (the
// page's #editor-data, built by kzgraph.site.vocabulary) instead of prefix.cc and LOV, there is
// no CORS proxy and no URL shortener, and YASR shows only its table and raw response views.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("editor-data").textContent);
  const endpoint = new URL("/sparql", location.href).href;
  const Yasqe = Yasgui.Yasqe;
  const labels = new Map();
  for (const term of [...data.classes, ...data.properties]) labels.set(term.iri, term.label);

  // "kz:Person" or "<https://…>" back to the IRI, with the query's prefixes or ours
  function expand(text, yasqe) {
    if (text.startsWith("<")) return text.slice(1, -1);
    const colon = text.indexOf(":");
    const prefixes = { ...data.prefixes, ...yasqe.getPrefixesFromQuery() };
    const ns = prefixes[text.slice(0, colon)];
    return ns ? ns + text.slice(colon + 1) : text;
  }

  function labelled(yasqe, hints) {
    return hints.map((hint) => {
      const label = labels.get(expand(hint.text, yasqe));
      return label ? { ...hint, displayText: hint.text + "  (" + label + ")" } : hint;
    });
  }

  // The class and property completers, on our own terms; the token comes with its prefix
  // expanded when the query declares it, and with ours when it does not (yet).
  function ourTerms(base, terms) {
    const iris = terms.map((t) => t.iri);
    Yasqe.registerAutocompleter({
      ...Yasqe.Autocompleters[base],
      autoShow: true,
      get(yasqe, token) {
        let start = (token && token.autocompletionString) || "";
        const colon = start.indexOf(":");
        if (colon > 0 && !start.includes("//") && data.prefixes[start.slice(0, colon)]) {
          token.tokenPrefix = start.slice(0, colon + 1);
          token.tokenPrefixUri = data.prefixes[start.slice(0, colon)];
          start = token.tokenPrefixUri + start.slice(colon + 1);
        }
        return Promise.resolve(iris.filter((iri) => iri.startsWith(start)).slice(0, 100));
      },
      postprocessHints: labelled,
    });
  }
  Yasqe.registerAutocompleter({
    ...Yasqe.Autocompleters.prefixes,
    get: () =>
      Promise.resolve(Object.entries(data.prefixes).map(([p, ns]) => p + ": <" + ns + ">")),
    persistenceId: () => undefined, // nothing cached in localStorage: the list is the page's
  });
  ourTerms("class", data.classes);
  ourTerms("property", data.properties);

  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: {
      endpoint: endpoint,
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json",
      acceptHeaderGraph: "text/turtle",
    },
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }], keys: [] },
    copyEndpointOnNewTab: false,
    corsProxy: undefined,
    persistenceId: null, // each visit starts from the page (or its ?query=), not old tabs
    populateFromUrl: true, // ?query= (our links) and YASGUI's own #query= share links
    autofocus: true,
    yasqe: { value: data.default, createShortLink: undefined, resizeable: true },
    yasr: {
      pluginOrder: ["table", "response"],
      defaultPlugin: "table",
      persistenceId: null,
    },
  });

  // Our IRIs browse on this server, as the other pages' links do (results and datatypes).
  function localLinks(root) {
    for (const a of root.querySelectorAll("a[href^='" + data.base + "']")) {
      a.setAttribute("href", "/" + a.getAttribute("href").slice(data.base.length));
    }
  }
  new MutationObserver(() => localLinks(yasgui.rootEl)).observe(yasgui.rootEl, {
    childList: true,
    subtree: true,
  });

  function currentQuery() {
    const tab = yasgui.getTab();
    return tab ? tab.getQuery() : "";
  }

  // The shareable link and the CSV download follow the query in the open tab.
  function links() {
    const q = "?query=" + encodeURIComponent(currentQuery());
    document.getElementById("share").href = "/editor" + q;
    document.getElementById("csv").href = "/editor/results.csv" + q;
    return q;
  }
  yasgui.on("tabSelect", () => setTimeout(links));
  yasgui.on("tabChange", links);
  yasgui.on("query", () => history.replaceState(null, "", "/editor" + links()));
  yasgui.rootEl.addEventListener("keyup", links);
  yasgui.rootEl.addEventListener("input", links);

  const picker = document.getElementById("examples");
  picker.addEventListener("change", () => {
    const example = data.examples[picker.value];
    picker.value = "";
    if (!example) return;
    yasgui.addTab(true, { name: example.tab, yasqe: { value: example.query } });
    links();
  });
  links();
  window.kzgraphEditor = yasgui; // for the console (and the page tests)
})();
