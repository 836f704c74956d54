"""Tests of kg.export (a package, so its module names cannot clash with other test folders)."""
