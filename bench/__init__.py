"""Benchmarks of kzgraph against peers (rdflib-endpoint, ``oxigraph serve``) on synthetic corpora.

Run with ``scripts/dev bench [--sizes 10k,100k,1m] [--quick]``; see bench/README.md.
"""
