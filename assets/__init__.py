"""thinkmill's Dagster layer: thin assets over `pipeline/`."""
