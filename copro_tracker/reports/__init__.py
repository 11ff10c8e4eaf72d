"""Evidence reports.

- Pure (no Flask, no database): ``build`` (the entry point: inputs -> ``Report``) over ``model``,
  ``consent``, ``common``, ``sections`` and one module per kind (``initiative``, ``portfolio``,
  ``quality_statement``).
- Edges: ``data`` (loads the inputs), ``render_*`` (HTML, PDF, CSV, JSON bundle, SVG charts), ``service``
  (produce and audit; share links), and ``views`` (the blueprint, registered in app.py as ``reports``).

This file imports nothing, so importing the pure report builder does not import Flask.
"""
