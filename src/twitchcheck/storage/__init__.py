"""The diary's storage: SQLAlchemy 2 models, engines (SQLite by default, PostgreSQL) and migrations."""
