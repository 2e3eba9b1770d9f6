"""bouv-tui: kompetensinventering för den sociala barn- och ungdomsvården."""

__version__ = "0.1.0"
