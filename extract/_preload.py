"""Imported once by the batch's fork server: rules, patterns and models are
loaded there, and every worker forked from it starts warm (a spawned worker
paid about a second and a half of imports, and again at each restart)."""
import gc

from . import allocator
from .extractors import warm
from .extractors.entities import warm_ner
from .readers import pdf as _pdf  # noqa: F401  (PDF, the commonest archive format, read from the first file)

import pypdfium2  # noqa: F401,E402

# set before the workers are forked: they inherit it (see .allocator)
allocator.tune()
warm()
# underthesea and its models (about 1.3 s and 100 MB, shared by every worker
# forked from here) are loaded once here rather than by each worker at its
# first bare name; warm() leaves them to a single process's first need
warm_ner()
# What is loaded now lives as long as the workers: out of the collector's
# sight, so collections in a worker scan only a document's own objects (and
# do not touch, hence copy, the pages shared with the fork server).
gc.freeze()
