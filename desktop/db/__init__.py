"""Storage: engines and PRAGMAs, where a database may live, migrations on start, backup and restore."""
