"""Governance pages, one module per kind of record. Views parse, authorise, call a service, render."""
