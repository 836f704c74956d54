"""Tests for kg.editing.writer: append-only, locked, checked, atomic changes."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.editing import writer
from kg.editing.writer import (
    ConcurrentChangeError,
    FileStyle,
    append_text,
    decode_source,
    detect_style,
    lock_path,
    update_files,
)
from kg.errors import KgError, WriteError

ENTRY = "@misc{new2020,\n  title = {New},\n  year = {2020}\n}"


@pytest.mark.parametrize(
    "data, style",
    [
        (b"", FileStyle("\n", False)),
        (b"@misc{a}", FileStyle("\n", False)),
        (b"a\nb\r\n", FileStyle("\n", False)),
        (b"a\r\nb\n", FileStyle("\r\n", False)),
        (b"\xef\xbb\xbfa\r\n", FileStyle("\r\n", True)),
        (b"\xef\xbb\xbf", FileStyle("\n", True)),
    ],
    ids=["empty", "one-line", "lf", "crlf", "bom-crlf", "bom-only"],
)
def test_detect_style(data, style):
    assert detect_style(data) == style


@pytest.mark.parametrize(
    "old, expected",
    [
        (b"", ENTRY + "\n"),
        (b"\xef\xbb\xbf", "\ufeff" + ENTRY + "\n"),
        (b"@misc{a}\n", "@misc{a}\n\n" + ENTRY + "\n"),
        (b"@misc{a}", "@misc{a}\n\n" + ENTRY + "\n"),
        (b"@misc{a}\n\n", "@misc{a}\n\n" + ENTRY + "\n"),
        (b"@misc{a}\n\n\n", "@misc{a}\n\n\n" + ENTRY + "\n"),
        (b"@misc{a}\r\n", "@misc{a}\r\n\r\n" + ENTRY.replace("\n", "\r\n") + "\r\n"),
        (b"@misc{a}\r\nx", "@misc{a}\r\nx\r\n\r\n" + ENTRY.replace("\n", "\r\n") + "\r\n"),
        (
            b"\xef\xbb\xbf@misc{a}\r\n",
            "\ufeff@misc{a}\r\n\r\n" + ENTRY.replace("\n", "\r\n") + "\r\n",
        ),
        (b"% c", "% c\n\n" + ENTRY + "\n"),
    ],
    ids=[
        "empty",
        "bom-only",
        "lf",
        "no-final-newline",
        "blank-line",
        "two-blank-lines",
        "crlf",
        "crlf-no-final-newline",
        "bom-crlf",
        "comment-no-newline",
    ],
)
def test_append_text_keeps_old_bytes_and_style(old, expected):
    assert append_text(old, ENTRY).decode("utf-8") == expected


def test_append_text_respells_pasted_crlf_for_an_lf_file():
    assert append_text(b"x\n", "@misc{b,\r\n title={B}}\r\n\r\n") == b"x\n\n@misc{b,\n title={B}}\n"


def test_decode_source_names_the_line_and_column_of_a_non_utf8_byte():
    with pytest.raises(KgError) as caught:
        decode_source(b"ok\nstill ok\ncaf\xe9\n", "refs.bib")
    assert str(caught.value) == (
        "refs.bib:3:4: error: byte 0xE9 at column 4 is not UTF-8: the file "
        "seems to use another encoding (Latin-1, Windows-1252, GBK...); convert it to UTF-8, for instance with `iconv -f LATIN1 -t UTF-8`"
    )


def test_decode_source_drops_bom():
    assert decode_source(b"\xef\xbb\xbf@misc{a}", "x") == "@misc{a}"


# -- property: old bytes + separator + entry, one more entry ------------------------------

_SAFE = st.text(alphabet="abcdefghij éü-", min_size=1, max_size=12).map(str.strip).filter(bool)
_KEYS = st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True)


def _entry(key: str, title: str, newline: str) -> str:
    return f"@article{{{key},{newline}  title = {{{title}}},{newline}  year = {{2001}}{newline}}}"


@st.composite
def existing_files(draw):
    """Valid bibliographies in any spelling: LF or CRLF, with or without BOM and final newline."""
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    keys = draw(st.lists(_KEYS, max_size=4, unique=True))
    chunks = []
    for key in keys:
        if draw(st.booleans()):
            chunks.append(draw(st.sampled_from(["% a comment", "@comment{kept as is}", ""])))
        chunks.append(_entry(key, draw(_SAFE), newline))
    text = draw(st.sampled_from([newline, newline * 2])).join(chunks)
    text += draw(st.sampled_from(["", newline, newline * 2, " "]))
    data = text.encode("utf-8")
    if draw(st.booleans()):
        data = writer.BOM + data
    return keys, data


def _count_entries(data: bytes) -> list[str]:
    import bibtexparser

    library = bibtexparser.parse_string(decode_source(data, "x"))
    assert not library.failed_blocks
    return [entry.key for entry in library.entries]


@settings(max_examples=120, deadline=None)
@given(
    existing=existing_files(),
    key=_KEYS.map(lambda k: "new" + k),
    title=_SAFE,
    pasted_newline=st.sampled_from(["\n", "\r\n"]),
)
def test_append_is_old_bytes_plus_separator_plus_entry(existing, key, title, pasted_newline):
    keys, old = existing
    entry = _entry(key, title, pasted_newline)
    result = append_text(old, entry)
    newline = detect_style(old).newline
    sep = writer.separator(old, newline).encode()
    assert result == old + sep + (entry.replace(pasted_newline, newline) + newline).encode("utf-8")
    assert sep.strip() == b""
    # The entry starts on a line of its own.
    body = result[len(old) + len(sep) :]
    assert body.startswith(b"@")
    assert (old + sep)[len(writer.BOM) :] == b"" or (old + sep).endswith(newline.encode())
    assert _count_entries(result) == [*keys, key]


# -- update_files: locked, checked, atomic -------------------------------------------------


@pytest.fixture
def bib(tmp_path) -> Path:
    path = tmp_path / "references.bib"
    path.write_bytes(b"@misc{a,\n title={A}}\n")
    return path


def _appender(text: str):
    def plan(current):
        return {path: append_text(data, text) for path, data in current.items()}

    return plan


def test_update_files_appends_and_uses_a_hidden_lock_file(bib):
    update_files([bib], _appender(ENTRY))
    assert bib.read_bytes() == b"@misc{a,\n title={A}}\n\n" + ENTRY.encode() + b"\n"
    assert lock_path(bib) == bib.parent / ".references.bib.lock"
    assert sorted(p.name for p in bib.parent.iterdir() if not p.name.endswith(".lock")) == [
        "references.bib"
    ]


def test_update_files_follows_a_symlink_and_keeps_permissions(tmp_path, bib):
    bib.chmod(0o640)
    link = tmp_path / "link.bib"
    link.symlink_to(bib)
    update_files([link], _appender(ENTRY))
    assert link.is_symlink()
    assert bib.read_bytes().endswith(ENTRY.encode() + b"\n")
    assert bib.stat().st_mode & 0o777 == 0o640
    assert (tmp_path / ".references.bib.lock").exists()


def test_update_files_plans_again_when_the_file_changes_under_it(bib):
    calls = []

    def plan(current):
        calls.append(current[bib])
        if len(calls) == 1:  # an editor saves the file while kg is planning
            bib.write_bytes(bib.read_bytes() + b"@misc{edited}\n")
        return {bib: append_text(current[bib], ENTRY)}

    update_files([bib], plan)
    assert len(calls) == 2
    assert bib.read_bytes() == (
        b"@misc{a,\n title={A}}\n@misc{edited}\n\n" + ENTRY.encode() + b"\n"
    )


def test_update_files_refuses_when_the_file_keeps_changing(bib):
    def plan(current):
        bib.write_bytes(current[bib] + b"%\n")
        return {bib: append_text(current[bib], ENTRY)}

    with pytest.raises(ConcurrentChangeError, match="kept changing"):
        update_files([bib], plan, attempts=3)
    assert bib.read_bytes() == b"@misc{a,\n title={A}}\n%\n%\n%\n"


def test_update_files_refuses_a_read_only_file(bib):
    before = bib.read_bytes()
    bib.chmod(0o444)
    with pytest.raises(WriteError) as caught:
        update_files([bib], _appender(ENTRY))
    assert str(caught.value) == (
        f"cannot write {bib}: the file is read-only; make it writable (chmod u+w {bib}) and run again"
    )
    assert bib.read_bytes() == before


def test_update_files_refuses_a_missing_folder(tmp_path):
    missing = tmp_path / "nowhere" / "references.bib"
    with pytest.raises(WriteError, match=r"folder .*nowhere does not exist; create it"):
        update_files([missing], _appender(ENTRY))


def test_update_files_full_disk_leaves_original_and_no_temp_file(bib, monkeypatch):
    before = bib.read_bytes()

    def no_space(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(WriteError, match="No space left on device"):
        update_files([bib], _appender(ENTRY))
    assert bib.read_bytes() == before
    assert [p.name for p in bib.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_update_files_puts_back_the_first_file_when_the_second_fails(tmp_path, bib, monkeypatch):
    other = tmp_path / "concepts.yaml"
    other.write_bytes(b"version: 1\n")
    before = bib.read_bytes()
    real_write = writer.atomic_write
    state = {"calls": 0}

    def flaky_write(path, data):
        state["calls"] += 1
        if Path(path) == other:
            raise WriteError(f"cannot write {path}: No space left on device")
        return real_write(path, data)

    monkeypatch.setattr(writer, "atomic_write", flaky_write)

    def plan(current):
        return {bib: current[bib] + b"%x\n", other: current[other] + b"# x\n"}

    with pytest.raises(WriteError, match="No space left"):
        update_files([bib, other], plan)
    assert bib.read_bytes() == before
    assert other.read_bytes() == b"version: 1\n"
    assert state["calls"] == 3  # bib, concepts (fails), bib put back


def test_update_files_removes_temp_files_a_killed_writer_left(bib):
    leftover = bib.parent / ".references.bib.abc123.tmp"
    leftover.write_bytes(b"half")
    update_files([bib], _appender(ENTRY))
    assert not leftover.exists()


def test_update_files_serialises_concurrent_writers(bib):
    errors = []

    def add(i):
        try:
            update_files([bib], _appender(f"@misc{{t{i}, title={{T}}}}"))
        except Exception as error:  # collected so the assertion below reports it
            errors.append(error)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(_count_entries(bib.read_bytes())) == ["a", *sorted(f"t{i}" for i in range(6))]
