"""The SPARQL service: request checks before parsing, content negotiation, result writers and the
worker processes that evaluate queries under a hard deadline."""
