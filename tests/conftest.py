"""Shared test configuration: hypothesis settings profiles.

Two profiles are registered: ``dev`` (the default) and ``ci`` (more
examples).  Pick one with the ``HYPOTHESIS_PROFILE`` environment variable,
e.g. ``HYPOTHESIS_PROFILE=ci python -m pytest``.  ``dev`` keeps the whole
run within three minutes on a 2-core machine (some sixty properties draw
whole ledgers and assess, save or render them); ``ci`` draws seven and a
half times as many examples per property.  Neither has a deadline: generating
whole ledgers takes a varying time, and a slow example is not a wrong one.
"""

from __future__ import annotations

import os

from hypothesis import settings

__all__: list[str] = []

settings.register_profile("dev", max_examples=20, deadline=None)
settings.register_profile("ci", max_examples=150, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
