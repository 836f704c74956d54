"""kg's version: the one place it is written (pyproject.toml reads it from here).

A leaf module, importing nothing, so that the command line and the cache can
name the version without importing the package around them.
"""

__version__ = "0.1.0"
