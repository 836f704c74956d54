"""Helpers for the reliability sweep: fuzz settings, a hang guard, problem checks."""

from __future__ import annotations

import os
import re
import signal
from contextlib import contextmanager

from hypothesis import HealthCheck, settings

#: Examples per fuzz test when nothing asks for more (the suite has about ten fuzz tests).
DEFAULT_EXAMPLES = 250

_examples = int(os.environ.get("KG_FUZZ_EXAMPLES") or DEFAULT_EXAMPLES)


def set_examples(count: int) -> None:
    """Used by ``--fuzz-examples``: every fuzz test collected afterwards runs ``count`` examples."""
    global _examples
    _examples = count


def fuzz_settings(share: float = 1.0) -> settings:
    """Hypothesis settings for one fuzz test; ``share`` scales the example count."""
    return settings(
        max_examples=max(10, int(_examples * share)),
        deadline=None,  # a slow example is not a failure: no timed assertions
        derandomize=os.environ.get("CI", "").lower() in {"1", "true", "yes"},
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
        print_blob=True,
    )


class Hung(Exception):
    """The safety-net alarm fired: the code under test did not return."""


@contextmanager
def returns_within(seconds: int):
    """Raise :class:`Hung` if the block has not returned after ``seconds``.

    A safety net against a hang taking the whole suite down, set far above
    any normal run time; the tests assert what the code returns, not how fast.
    """

    def on_alarm(signum, frame):
        raise Hung(f"did not return within {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def count_lines(text: str) -> int:
    """Lines as an editor counts them: LF, CRLF and a lone CR each end one."""
    return len(re.split(r"\r\n|\r|\n", text))


def assert_problems_located(problems, file: str, text: str) -> None:
    """Every problem names ``file``, a 1-based line inside ``text``, and a known severity."""
    last_line = count_lines(text)
    for problem in problems:
        assert problem.file == file, problem
        assert problem.severity in ("error", "warning"), problem
        assert isinstance(problem.line, int) and 1 <= problem.line <= last_line, (
            problem,
            last_line,
        )
        assert problem.code and problem.message, problem
        if problem.column is not None:
            assert problem.column >= 1, problem
