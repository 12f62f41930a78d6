"""The REST API (FastAPI), versioned under /api/v1, and the web page it serves."""
