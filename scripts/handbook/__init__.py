"""The handbook's build logic: content model, checks, cross-links, search and assets.

Every module here is plain Python with no MkDocs import at module level, so the
checker and the command-line tools run without starting a build.
"""
