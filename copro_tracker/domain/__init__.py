"""The domain's own rules, each defined once and pure (no Flask, no database).

The stage gate, who counts as a citizen partner in an initiative, which assessment counts, when a
review is overdue: pages, services, the criteria rules and reports all ask these functions, so two
screens can never answer the same question differently. Where a page needs the same answer as a list
straight from the database, the SQL is built beside the predicate and a test checks they agree.
"""
