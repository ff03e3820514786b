"""Shared test configuration: hypothesis settings profiles.

Two profiles are registered: ``dev`` (the default, quick) and ``ci`` (more
examples).  Pick one with the ``HYPOTHESIS_PROFILE`` environment variable,
e.g. ``HYPOTHESIS_PROFILE=ci python -m pytest``.  Neither has a deadline:
generating whole ledgers takes a varying time, and a slow example is not a
wrong one.
"""

from __future__ import annotations

import os

from hypothesis import settings

__all__: list[str] = []

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("ci", max_examples=150, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
