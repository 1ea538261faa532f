"""The indicator store: its schema and the one way the app and the ETL open it."""
