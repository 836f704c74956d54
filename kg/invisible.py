"""Characters that hide: shown as nothing, or reordering the text after them.

In an id or a title they make text look like other text (a key with a
zero-width space looks like the key without it; U+202E shows what follows
backwards). The loader warns about them in keys and ids
(:mod:`kg.sources.identity`), and ``kg`` escapes them on a terminal
(:class:`kg.cli.VisibleControlCharacters`). Kept apart, with nothing to
import, so that ``kg --help`` stays fast.
"""

#: A regular-expression character class body (ranges included): soft hyphen,
#: combining grapheme joiner, Arabic letter mark, Hangul and Khmer fillers,
#: Mongolian selectors, zero-width spaces and joiners, left-to-right and
#: right-to-left marks, embeddings, overrides and isolates, word joiner and
#: invisible operators, byte-order mark, interlinear annotations, musical
#: formatting and tag characters.
INVISIBLE_CHARACTERS = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0"
    "\ufff9-\ufffb\U0001d173-\U0001d17a\U000e0000-\U000e007f"
)

#: Of those, the ones that reorder the text after them (bidirectional controls).
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
