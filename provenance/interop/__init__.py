"""Speaking the standards other tools speak: W3C PROV, schema.org ClaimReview, graphs.

`provenance.interop.prov` maps a ledger to a W3C PROV document and back
(through the ``prov`` package: ``pip install 'claim-provenance[prov]'``);
`provenance.interop.claimreview` writes schema.org ClaimReview JSON-LD for
fact-check publishing; `provenance.interop.graph` draws who said what
through whom as Graphviz DOT or Mermaid, and as SVG or PNG through
Graphviz's ``dot``.  Nothing here is imported by ``import provenance``.
"""

from __future__ import annotations

__all__: list[str] = []
