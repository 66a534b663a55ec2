"""The headless command line: noun verb commands over the UI-free core, for scripts and cron.

Plain text only: it imports neither Textual nor Rich (an import-linter contract holds it).
"""
