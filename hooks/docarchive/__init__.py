"""docarchive: turns story, photo and timeline files into a documentary-archive site.

The package is plain Python: load -> validate -> model -> pages/render/images.
MkDocs only appears in ``hooks/archive.py``, which calls into this package.
"""

__version__ = "0.1.0"
