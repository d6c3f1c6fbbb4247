"""Reads of the strategy app: access-checked fetches and the figures pages and panels show."""
