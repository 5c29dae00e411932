"""The domain: plain dataclasses and functions. No UI, no YAML library, no git, no disk."""
