"""Loading the sources: references.bib and concepts.yaml -> :class:`kg.model.Corpus`.

``load`` is a pipeline of small steps: read the bibliography, read the
concepts file, check the references between them, and merge authors that the
concepts file declares to be one person. Every step adds problems to the
corpus instead of raising, so one run reports everything wrong at once.

A loaded corpus is cached (see :mod:`kg.sources.cache`), keyed by the bytes
of both files: every command on unchanged files skips the parse.
"""

from __future__ import annotations

from pathlib import Path

from kg.model import Corpus, Problem


def load(bib_path, concepts_path=None, *, use_cache: bool = True) -> Corpus:
    """Load a bibliography and an optional concepts file. Never raises on bad input.

    With ``use_cache`` (the default) an unchanged pair of files is read back
    from the cache instead of parsed, and a parsed pair is stored there.
    """
    bib_label = str(bib_path)
    concepts_label = None if concepts_path is None else str(concepts_path)
    # The bibliography is read once: its bytes are both hashed and parsed.
    bib_data = Path(bib_path).read_bytes()
    key = None
    if use_cache:
        from kg.sources import cache

        try:
            concepts_data = None if concepts_path is None else Path(concepts_path).read_bytes()
        except OSError:  # the concepts loader reports it; nothing to cache against
            concepts_data = b""
            use_cache = False
        if use_cache:
            key = cache.cache_key(bib_label, bib_data, concepts_label, concepts_data)
            corpus = cache.read(key)
            if corpus is not None:
                return corpus
    # Handed over in a list that _load empties: the bytes are as big as the file,
    # and nothing needs them once they are decoded.
    holder = [bib_data]
    del bib_data
    corpus = _load(holder, bib_label, concepts_path, concepts_label)
    if key is not None:
        cache.write(key, corpus)
    return corpus


def sources_key(bib_path, concepts_path=None) -> str | None:
    """The cache key of a pair of source files as they are now (None if one cannot be read)."""
    from kg.sources import cache

    try:
        bib_data = Path(bib_path).read_bytes()
        concepts_data = None if concepts_path is None else Path(concepts_path).read_bytes()
    except OSError:
        return None
    return cache.cache_key(str(bib_path), bib_data, None if concepts_path is None else str(concepts_path),
                           concepts_data)  # fmt: skip


def _load(
    bib_holder: list[bytes], bib_label: str, concepts_path, concepts_label: str | None
) -> Corpus:
    """Parse the sources (no cache): the bibliography's bytes, and the concepts file if any.

    ``bib_holder`` holds the bytes; it is emptied so that they can be freed early.
    """
    from kg.progress import progress
    from kg.sources.bibtex import parse_bibtex_bytes

    loaded = []

    def load_concepts_file() -> None:
        # Runs while worker processes parse a big bibliography, instead of after.
        if concepts_path is not None:
            from kg.sources.concepts import load_concepts

            loaded.append(load_concepts(concepts_path, concepts_label))

    with progress(f"reading {bib_label}", total=len(bib_holder[0])) as bar:
        bib = parse_bibtex_bytes(
            bib_holder, bib_label, progress=bar.advance, meanwhile=load_concepts_file
        )
    corpus = Corpus(papers=bib.papers, authors=bib.authors, problems=list(bib.problems),
                    bib_path=bib_label)  # fmt: skip
    if concepts_path is None:
        return corpus

    from kg.sources.concepts import check_references

    if not loaded:  # the parse stopped before it could run meanwhile
        load_concepts_file()
    concepts = loaded[0]
    corpus.concepts_path = concepts_label
    corpus.concepts = concepts.concepts
    corpus.objectives = concepts.objectives
    corpus.quotes = concepts.quotes
    corpus.title = concepts.title
    corpus.version = concepts.version
    corpus.problems.extend(concepts.problems)
    corpus.problems.extend(check_references(concepts, corpus.papers, concepts_label))
    merge_author_aliases(corpus, concepts.author_aliases, concepts_label)
    return corpus


def merge_author_aliases(corpus: Corpus, declarations, file: str) -> None:
    """Make every name form a declaration lists point at one author, shown by its ``name``."""
    from kg.sources.names import author_id_for, split_name

    for declaration in declarations:
        family, given = split_name(declaration.name)
        canonical = author_id_for(family, given)
        forms = [author_id_for(*split_name(alias)) for alias in declaration.aliases]
        present = [author_id for author_id in [canonical, *forms] if author_id in corpus.authors]
        if not present:
            corpus.problems.append(Problem(file, declaration.line, "warning", "unused-author",
                                           f"author '{declaration.name}' appears in no entry"))  # fmt: skip
            continue
        target = corpus.authors.get(canonical) or corpus.authors[present[0]]
        if target.id != canonical:
            del corpus.authors[target.id]
            target.id = canonical
            corpus.authors[canonical] = target
        old_names = {target.name, *target.aliases}
        for author_id in present:
            if author_id == canonical:
                continue
            other = corpus.authors.pop(author_id, None)
            if other is None:
                continue
            old_names.update({other.name, *other.aliases})
            for paper in corpus.papers.values():
                paper.authors = [canonical if a == author_id else a for a in paper.authors]
                paper.editors = [canonical if a == author_id else a for a in paper.editors]
        for paper in corpus.papers.values():
            if present[0] != canonical:
                paper.authors = [canonical if a == present[0] else a for a in paper.authors]
        target.name, target.family, target.given = declaration.name, family, given
        target.aliases = sorted(name for name in old_names | set(declaration.aliases)
                                if name != declaration.name)  # fmt: skip
