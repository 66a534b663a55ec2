"""Names a package loads on first use (PEP 562), so that importing one of its light modules
does not load its heavy ones: the API layer (pydantic, httpx), the config (pydantic, secrets),
the simulator (Starlette, its app).

A package writes ``__getattr__, __dir__ = lazy_names(__name__, {"Name": "module", ...})`` and
lists the same names under ``if TYPE_CHECKING:`` imports for type checkers.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module


def lazy_names(
    package: str, where: Mapping[str, str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``package``'s module ``__getattr__`` and ``__dir__`` for ``where`` (name -> module)."""

    def getattr_(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f".{module}", package), name)
        vars(sys.modules[package])[name] = value  # the next lookup is a plain one
        return value

    def dir_() -> list[str]:
        return sorted([*vars(sys.modules[package]), *where])

    return getattr_, dir_
