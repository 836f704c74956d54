"""The progress bar: drawn on a terminal after a delay, never in pipes or CI."""

from __future__ import annotations

import io

from kg.progress import Progress, enabled, progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_nothing_is_written_when_stderr_is_not_a_terminal(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    stream = io.StringIO()
    with progress("reading refs.bib", total=10, stream=stream, delay=0) as bar:
        for _ in range(10):
            bar.advance()
    assert stream.getvalue() == ""
    assert not enabled(stream)


def test_nothing_is_written_in_ci_even_on_a_terminal(monkeypatch):
    monkeypatch.setenv("CI", "true")
    stream = FakeTerminal()
    with progress("reading refs.bib", total=10, stream=stream, delay=0) as bar:
        bar.advance(5)
    assert stream.getvalue() == ""


def test_short_work_draws_nothing(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    stream = FakeTerminal()
    with progress("reading refs.bib", total=10, stream=stream, delay=60) as bar:
        bar.advance(10)
    assert stream.getvalue() == ""


def test_long_work_draws_a_bar_and_erases_it(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    stream = FakeTerminal()
    with progress("reading refs.bib", total=4, stream=stream, delay=0) as bar:
        bar.advance(2)
    assert (
        stream.getvalue() == "\rreading refs.bib [" + "#" * 15 + "." * 15 + "]  50%\033[K\r\033[K"
    )


def test_the_bar_is_erased_when_the_work_fails(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    stream = FakeTerminal()
    try:
        with progress("rendering", stream=stream, delay=0) as bar:
            bar.advance(3)
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert stream.getvalue() == "\rrendering: 3\033[K\r\033[K"


def test_render_without_total_counts_and_with_total_caps_at_full():
    assert Progress("items").render() == "items: 0"
    bar = Progress("items", total=2)
    bar.update(5)
    assert bar.render() == "items [" + "#" * 30 + "] 100%"
