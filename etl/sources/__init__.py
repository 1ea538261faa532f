"""Data sources: one HTTP base (``etl.sources.http``) that every API client shares."""
