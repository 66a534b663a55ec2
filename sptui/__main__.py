"""`python -m sptui`, the same as the `sptui` command."""

from .main import main

raise SystemExit(main())
