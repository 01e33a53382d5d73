"""Server-rendered pages beyond the canned queries' (which live in ``api/html.py``)."""
