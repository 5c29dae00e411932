"""`python -m kam_tui` is the `kam` command."""

import sys

from kam_tui.cli import main

sys.exit(main())
