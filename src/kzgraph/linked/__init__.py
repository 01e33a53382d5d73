"""Linked data: every kzgraph IRI answers on the server (docs/decisions/0007-linked-data.md).
``describe`` builds the worker jobs, ``entity`` the content of a resource's page, ``ontology`` the
ontology's documents, ``resolve`` maps request paths to IRIs and IRIs to local links."""
