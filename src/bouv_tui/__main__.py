import sys

from bouv_tui.cli import main

sys.exit(main())
