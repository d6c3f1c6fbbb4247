"""Personal data: refused at the door (screening), purged when it slips through (redaction), kept no
longer than needed (retention). See docs/CONVENTIONS.md, "Personal data"."""
