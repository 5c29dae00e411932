"""The Textual front end. Imported lazily (only by `kam demo` and friends), so the rest of `kam`
never pays for Textual. It receives a Repository and owns no business rules: everything it
shows and saves goes through `kam_tui.store` and `kam_tui.model`, like the CLI."""
