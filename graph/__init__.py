"""The typed dependency graph and the analyses over it (pure functions)."""
