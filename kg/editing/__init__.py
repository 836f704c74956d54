"""Editing the sources for ``kg add``: pasted entries, links into concepts.yaml, the locked writer.

Loading (:mod:`kg.sources`) only ever reads the user's files; everything that
changes them lives here:

- :mod:`kg.editing.pasted` checks pasted BibTeX on its own and against the
  bibliography, and plans the bytes to append;
- :mod:`kg.editing.yaml_links` inserts paper links into concepts.yaml as text,
  leaving every other byte as the trainer wrote it;
- :mod:`kg.editing.writer` writes the planned bytes under a lock, atomically,
  all files or none.
"""
