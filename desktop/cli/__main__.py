"""``python -m desktop.cli``: kept working now that the command is a package (same as ``python -m desktop``)."""

import sys

from desktop.cli import main

sys.exit(main())
