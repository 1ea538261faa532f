"""The build sources ``python -m etl build`` iterates, in order (a source may add areas that a later one
reads). A new source: a module in ``etl/sources/`` with a class that has ``name``, ``extend(plan)`` and
``fetch(plan)`` (``etl.sources.base.Source``), and one line here."""

from etl.sources.kolada_source import KoladaSource
from etl.sources.scb_source import ScbDistrictSource

REGISTRY = {KoladaSource.name: KoladaSource, ScbDistrictSource.name: ScbDistrictSource}
