"""The HTTP front door: a FastAPI app over the same core as the CLI."""
