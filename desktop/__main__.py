"""``python -m desktop``: the same entry point as the ``tuoyu`` command (no arguments opens the GUI)."""

import sys

from desktop.cli import main

sys.exit(main())
