"""Run the ``provenance`` command as ``python -m provenance``.

The same as the ``provenance`` console script: `provenance.cli.main`.
"""

from __future__ import annotations

import sys

from .cli import main

__all__: list[str] = []

if __name__ == "__main__":
    sys.exit(main())
