"""Reusable pieces: a virtual table for long lists, and how an account's parts are drawn."""
