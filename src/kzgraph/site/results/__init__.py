"""The results of a canned query as a page: a label-first table (:mod:`.table`), sorted,
filtered and faceted by the page's URL (:mod:`.facets`), and the charts its ``#+ view:`` header
declares (:mod:`.views`), all drawn on the server (docs/decisions/0023-result-views.md)."""
