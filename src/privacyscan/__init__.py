"""privacyscan: a privacy-compliance scanner for websites."""

__version__ = "0.1.0"
