"""Where the graph lives: the in-memory store, the durable on-disk copy, a remote SPARQL
server."""
