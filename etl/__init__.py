"""Data preparation (ETL): fills the indicator store. Run as ``python -m etl …``; the app never does this."""
