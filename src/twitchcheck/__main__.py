"""``python -m twitchcheck`` runs the command line."""

import sys

from twitchcheck.interfaces.cli import main

sys.exit(main())
