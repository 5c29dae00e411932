"""kam: a key-account management workbench whose accounts are YAML files in git."""

__version__ = "0.1.0"
