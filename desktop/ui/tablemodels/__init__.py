"""tablemodels of the Qt face."""
