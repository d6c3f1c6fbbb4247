"""Partnership rules: each function is keyword-only, atomic, validates before saving and records who and why."""
