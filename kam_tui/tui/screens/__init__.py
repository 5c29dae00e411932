"""One screen per module: accounts (the list), account (one account), edit_field, help."""
