"""widgets of the Qt face."""
