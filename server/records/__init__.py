"""What each record type is, defined once (registry) with its special behaviour (hooks)."""
