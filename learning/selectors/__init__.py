"""Reads for the learning pages and panels: one function per question, never copied into views."""
