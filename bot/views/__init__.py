"""Block Kit builders: pure functions, data in, dicts out, no I/O."""
