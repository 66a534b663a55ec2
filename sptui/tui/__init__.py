"""The Textual console. The API layer below it (sptui.spapi) must never import from here."""
