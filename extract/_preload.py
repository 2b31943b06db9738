"""Imported once by the batch's fork server: rules, patterns and models are
loaded there, and every worker forked from it starts warm (a spawned worker
paid about a second and a half of imports, and again at each restart)."""
from .extractors import warm

warm()
