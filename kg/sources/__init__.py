"""Loading the sources: references.bib and concepts.yaml -> :class:`kg.model.Corpus`.

``load`` is a pipeline of small steps: read the bibliography, read the
concepts file, check the references between them, and merge authors that the
concepts file declares to be one person. Every step adds problems to the
corpus instead of raising, so one run reports everything wrong at once.

Each file is read once, into memory (:mod:`kg.sources.inputs`), and a loaded
corpus is cached (see :mod:`kg.sources.speed.cache`), keyed by the bytes read:
every command on unchanged files skips the parse.
"""

from __future__ import annotations

from kg.model import Corpus, Problem
from kg.sources.identity import check_identities
from kg.sources.inputs import SourceFiles, read_sources


def load(
    bib_path, concepts_path=None, *, use_cache: bool = True, encoding: str | None = None
) -> Corpus:
    """Load a bibliography and an optional concepts file. Never raises on bad content.

    Each file is read once (:func:`kg.sources.inputs.read_sources`, which
    raises :class:`kg.sources.inputs.UnreadableSourceError` for a file that
    cannot be read at all); ``encoding`` is the bibliography's, when it is
    not UTF-8 (by default such a file is read as Windows-1252, with a
    warning). See :func:`load_read` for the rest.
    """
    return load_read(read_sources(bib_path, concepts_path, encoding=encoding), use_cache=use_cache)


def load_read(sources: SourceFiles, *, use_cache: bool = True) -> Corpus:
    """Load sources already read. Never raises on bad content: problems say what is wrong.

    With ``use_cache`` (the default) sources read before are answered from the
    cache instead of parsed, and parsed ones are stored there.
    """
    key = None
    if use_cache and sources.concepts_too_large is None:  # such a file is refused, never cached
        from kg.sources.speed import cache

        key = sources.cache_key()
        # An entry far larger than its sources is not what kg wrote: it is not read.
        corpus = cache.read(key, limit=cache.entry_limit(sources.size))
        if corpus is not None:
            return corpus
    corpus = _load(sources)
    check_identities(corpus)
    if key is not None:
        cache.write(key, corpus)
    return corpus


def _load(sources: SourceFiles) -> Corpus:
    """Parse the sources (no cache)."""
    from kg.progress import progress
    from kg.sources.bibtex import parse_bibtex_bytes

    loaded = []
    concepts_label = sources.concepts_label

    def load_concepts_file() -> None:
        # Runs while worker processes parse a big bibliography, instead of after.
        concepts_data = sources.concepts_data
        if concepts_label is None or concepts_data is None:
            return
        from kg.sources.concepts import parse_concepts_bytes, too_large

        if sources.concepts_too_large is not None:
            loaded.append(too_large(concepts_label, sources.concepts_too_large))
        else:
            loaded.append(parse_concepts_bytes(concepts_data, concepts_label))

    bib_label = sources.bib_label
    # Handed over in a list that the parse empties: see SourceFiles.take_bib_data.
    holder = [sources.take_bib_data()]
    with progress(f"reading {bib_label}", total=len(holder[0])) as bar:
        bib = parse_bibtex_bytes(
            holder,
            bib_label,
            progress=bar.advance,
            meanwhile=load_concepts_file,
            encoding=sources.bib_encoding,
        )
    corpus = Corpus(
        papers=bib.papers, authors=bib.authors, problems=list(bib.problems), bib_path=bib_label
    )
    if concepts_label is None:
        return corpus

    from kg.sources.concepts import check_references

    if not loaded:  # the parse stopped before it could run meanwhile
        load_concepts_file()
    concepts = loaded[0]
    corpus.concepts_path = concepts_label
    corpus.concepts = concepts.concepts
    corpus.objectives = concepts.objectives
    corpus.quotes = concepts.quotes
    corpus.stories = concepts.stories
    corpus.title = concepts.title
    corpus.version = concepts.version
    corpus.problems.extend(concepts.problems)
    corpus.problems.extend(check_references(concepts, corpus.papers, concepts_label))
    from kg.sources.identity import unencodable_declarations

    corpus.problems.extend(unencodable_declarations(concepts.author_aliases, concepts_label))
    merge_author_aliases(corpus, concepts.author_aliases, concepts_label)
    from kg.sources.stories import resolve_stories

    corpus.problems.extend(resolve_stories(corpus, concepts.story_references, concepts_label))
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
            corpus.problems.append(
                Problem(
                    file,
                    declaration.line,
                    "warning",
                    "unused-author",
                    f"author '{declaration.name}' appears in no entry",
                )
            )
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
        target.aliases = sorted(
            name for name in old_names | set(declaration.aliases) if name != declaration.name
        )
