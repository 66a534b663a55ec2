"""sptui: a keyboard-first terminal console for Amazon's SP-API Services API."""

__version__ = "0.1.0"
