"""The UI-free core: every flow a dispatcher performs, for the console and the command line.

Imports neither Textual, Rich nor the command line (an import-linter contract holds it).
"""
