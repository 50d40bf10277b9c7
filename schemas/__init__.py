"""thinkmill's data contracts: tables, DDL, JSON Schema and migrations."""

from schemas.contracts import TABLES, Column, Table, table
from schemas.migrations import LATEST_VERSION, MIGRATIONS

__all__ = ["LATEST_VERSION", "MIGRATIONS", "TABLES", "Column", "Table", "table"]
