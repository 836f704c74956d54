"""citeproc-py put right where it departs from the CSL specification.

citeproc-js, the processor inside Zotero, is the reference implementation:
``tests/test_cite.py`` holds kg's citations to its text. Each departure of
citeproc-py found that way is corrected here, by replacing one method of its
model, once a process (:func:`follow_csl_rules`).
"""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=1)
def follow_csl_rules() -> None:
    """Make citeproc-py follow the rules of the CSL specification it skips (once a process).

    * A name variable that stood in for a missing author (``cs:substitute``)
      is not printed again later in the entry. citeproc-py notes which one
      stood in, but only plain variables check that note, never names: an
      edited book came out as "Figley, C. R. (Ed.). (1995). Title (C. R.
      Figley, Ed.). Publisher."
    * ``text-case`` on a label applies in the style's language, as it does on
      text: citeproc-py never passes the language to labels, so title case
      never applied to them, and APA's "(Ed.)" came out as "(ed.)".
    * A macro that stands in for a missing author (APA's title) suppresses
      the variables it printed for the rest of the entry, as a variable
      does: a book without author came out as "Title. (n.d.). Title."
    * A group is left out when it calls variables and none of them printed.
      citeproc-py judged a ``cs:choose`` by every branch, not by the one
      that rendered, so a thesis came out as "Title (Publication)
      [Doctoral dissertation]": the branch printed the word "Publication"
      but the publication number it belongs to was empty.
    """
    from citeproc import model

    _names_that_stood_in(model)
    model.Label.markup = _label_markup
    _substitutes_that_stood_in(model)
    _groups_by_the_branch_taken(model)


def _names_that_stood_in(model) -> None:
    """A name variable that stood in for the author is not printed again."""
    show_names = model.Names.process

    def process(self, item, names_context=None, context=None, **kwargs):
        stood_in = (
            (context if context is not None else self).get_layout().repressed.get(self.tag, [])
        )
        written = self.get("variable")
        roles = [role for role in written.split() if role not in stood_in]
        if not roles:
            return None
        if len(roles) == len(written.split()):
            return show_names(self, item, names_context=names_context, context=context, **kwargs)
        self.set("variable", " ".join(roles))
        try:
            return show_names(self, item, names_context=names_context, context=context, **kwargs)
        finally:
            self.set("variable", written)

    model.Names.process = process


def _label_markup(self, text):
    """A label's text case, applied in the style's language."""
    if not text:
        return None
    language = self.get_root().get("default-locale", "en")[:2]
    return self.wrap(self.format(self.case(self.strip_periods(text), language)))


def _substitutes_that_stood_in(model) -> None:
    """A macro that stood in for the author suppresses what it printed."""

    def render_substitute(self, item, context=None, **kwargs):
        for child in self.getchildren():
            try:
                if isinstance(child, model.Names) and child.name is None:
                    names = self.xpath_search("./parent::cs:names[1]")[0]
                    text = child.render(item, names_context=names, context=context, **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except model.VariableError:
                continue
            if text:
                repressed = context.get_layout().repressed
                for tag, variable in _printed_variables(child, item, str(text)):
                    repressed.setdefault(tag, []).append(variable)
                return text
        return None

    model.Substitute.render = render_substitute


def _groups_by_the_branch_taken(model) -> None:
    """A group judged by the branch of a ``cs:choose`` that rendered."""

    def render_choose(self, item, context=None, delimiter="", **kwargs):
        for branch in self.getchildren():
            try:
                return branch.render(item, context=context, delimiter=delimiter, **kwargs)
            except model.ConditionFailed:
                continue
            finally:
                # Set after any choose nested in the branch, so the group above reads its own.
                item.kg_branch_calls_variable = branch.calls_variable()
        item.kg_branch_calls_variable = False
        return None

    def process_group(self, item, context=None, **kwargs):
        output = []
        variable_called = False
        variable_rendered = False
        delimiter = self.get("delimiter", "")
        for child in self.iterchildren():
            is_choose = isinstance(child, model.Choose)
            calls = child.calls_variable()
            try:
                if is_choose:
                    text = child.render(item, context=context, delimiter=delimiter, **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except model.VariableError:
                text = None
            if is_choose:  # judged by the branch taken, not by every branch
                calls = getattr(item, "kg_branch_calls_variable", calls)
            variable_called = variable_called or calls
            if text is not None:
                output.append(text)
                variable_rendered = variable_rendered or calls
        if output and (not variable_called or variable_rendered):
            return self.join(output)
        raise model.VariableError

    model.Choose.render = render_choose
    model.Group.process = process_group


def _printed_variables(child, item, text: str) -> list[tuple[str, str]]:
    """(tag, variable) pairs that a substitute ``child`` printed into ``text``.

    A plain variable is itself; a macro stands for the text variables under
    it (macros followed) whose value the item holds and ``text`` shows.
    """
    if child.get("macro") is None:
        return [(child.tag, child.get("variable"))]
    reference = item.reference
    found = []
    seen_macros = set()
    stack = [child.get_macro(child.get("macro"))]
    while stack:
        for node in stack.pop().iter():
            if not isinstance(node.tag, str):
                continue
            for variable in (node.get("variable") or "").split():
                value = reference.get(variable.replace("-", "_"))
                if (
                    node.tag.endswith("}text")
                    and isinstance(value, (str, list))  # citeproc keeps text as a list of pieces
                    and _comparable(str(value)) in _comparable(text)
                ):
                    found.append((node.tag, variable))
            macro = node.get("macro")
            if macro and macro not in seen_macros:
                seen_macros.add(macro)
                stack.append(node.get_macro(macro))
    return found


def _comparable(text: str) -> str:
    """``text`` folded for "is this value printed here?": case and dashes ignored."""
    return re.sub("[–—]", "-", text.casefold())
