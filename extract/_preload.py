"""Imported once by the batch's fork server: rules, patterns and models are
loaded there, and every worker forked from it starts warm (a spawned worker
paid about a second and a half of imports, and again at each restart)."""
import gc

from .extractors import warm

warm()
# What is loaded now lives as long as the workers: out of the collector's
# sight, so collections in a worker scan only a document's own objects (and
# do not touch, hence copy, the pages shared with the fork server).
gc.freeze()
