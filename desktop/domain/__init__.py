"""Pure rules: no SQLAlchemy, no Qt, no I/O, no clock (``today`` is always a parameter)."""
