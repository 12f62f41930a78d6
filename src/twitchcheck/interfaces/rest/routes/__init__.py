"""The API's routes, one module per area.

``service`` (healthz), ``assess`` (assess and the interview) and ``kb`` add their routes to the
app itself (``add_..._routes(app)``): an included router costs every request a second route
match, and these are the routes whose speed is measured. ``accounts`` and ``diary`` are
``APIRouter`` objects that :func:`twitchcheck.interfaces.rest.app.create_app` includes.
"""
