"""Criteria engine: frameworks as data, pure rules over an immutable snapshot of an initiative.

- ``snapshot``: the frozen ``InitiativeFacts`` value the rules read (the loader in ``facts`` builds it).
- ``rules``: named pure checks returning a ``Finding``, and ``evaluate`` for a whole criterion.
- ``framework``: loads and validates ``frameworks/*.yaml`` into a ``Library``.

Nothing in this package may import Flask or SQLAlchemy, except the database loader in ``facts``.
"""
