"""Data sources: one HTTP base (``etl.sources.http``) that the API clients share, what a build source
hands ``etl build`` (``etl.sources.base``) and the registry the build iterates (``etl.sources.registry``)."""
