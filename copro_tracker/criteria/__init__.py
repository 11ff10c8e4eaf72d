"""Criteria engine: frameworks as data, pure rules over an immutable snapshot of an initiative.

- ``snapshot``: the frozen ``InitiativeFacts`` value the rules read (the loader in ``facts`` builds it).
- ``rules``: named pure checks returning a ``Finding``, and ``evaluate`` for a whole criterion.
- ``framework``: loads and validates ``frameworks/*.yaml`` into a ``Library``.

- ``facts``: loads snapshots from the database in a fixed number of queries.
- ``service``: people's assessments (record, co-sign or disagree); ``pages``: what the criteria pages show;
  ``forms`` and ``views``: the blueprint (registered in app.py as ``criteria``).

The pure core (``snapshot``, ``rules``, ``framework``) imports neither Flask nor SQLAlchemy; only the edges
listed after it touch the database or the web. This file imports nothing, so importing the rules stays pure.
"""
