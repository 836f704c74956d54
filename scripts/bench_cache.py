"""Benchmark: writing and reading a cached corpus, MessagePack (used) against JSON.

For each bibliography given, parses it once (no cache), then times, in this
process, storing the corpus with :func:`kg.sources.speed.cache.write` and reading it
back with :func:`kg.sources.speed.cache.read` -- every step included: the walk over
the dataclasses, the serialiser, the checksum, the file, the type checks.
The same is then done with the body serialised as JSON instead (the
standard library's ``json``, which needs no extra package), by swapping the
module's ``pack``/``unpack``. Medians of ``--repeat`` runs, alternated.

Usage::

    python scripts/bench_cache.py FILE.bib [FILE.bib ...] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def json_pack(value) -> bytes:
    """The JSON body the cache would write instead of MessagePack."""
    return json.dumps(value, ensure_ascii=False, check_circular=False,
                      separators=(",", ":")).encode("utf-8", "surrogatepass")  # fmt: skip


def json_unpack(data: bytes):
    """Read back :func:`json_pack`'s bytes."""
    return json.loads(data.decode("utf-8", "surrogatepass"))


def measure(bib: Path, repeat: int) -> dict:
    """Median write and read times (seconds) and entry sizes, per serialiser."""
    from kg.sources import load
    from kg.sources.speed import cache, cache_codec

    corpus = load(bib, use_cache=False)
    serialisers = {
        "msgpack": (cache_codec.pack, cache_codec.unpack),
        "json": (json_pack, json_unpack),
    }
    times: dict[str, dict[str, list[float]]] = {
        name: {"write": [], "read": []} for name in serialisers
    }
    sizes = {}
    for _ in range(repeat):
        for name, (pack, unpack) in serialisers.items():
            cache_codec.pack, cache_codec.unpack = pack, unpack
            started = time.perf_counter()
            assert cache.write("a" * 64, corpus)
            times[name]["write"].append(time.perf_counter() - started)
            started = time.perf_counter()
            again = cache.read("a" * 64)
            times[name]["read"].append(time.perf_counter() - started)
            assert again == corpus, f"{name} did not read back the same corpus"
            sizes[name] = (cache.cache_dir() / ("a" * 64 + ".corpus")).stat().st_size
    cache_codec.pack, cache_codec.unpack = serialisers["msgpack"]
    return {
        "papers": len(corpus.papers),
        "authors": len(corpus.authors),
        **{
            f"{name}_{step}": statistics.median(values)
            for name, steps in times.items()
            for step, values in steps.items()
        },
        **{f"{name}_mb": size / 1e6 for name, size in sizes.items()},
    }


def main() -> None:
    """Measure each file and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-bench-cache-") as folder:
        os.environ["KG_CACHE_DIR"] = str(Path(folder) / "cache")
        rows = [(path.name, measure(path, arguments.repeat)) for path in arguments.files]
    print(f"Cache entries, medians of {arguments.repeat} in-process runs:\n")
    print("| file | papers | authors | write msgpack | write JSON | read msgpack | read JSON "
          "| read JSON / msgpack | entry MB msgpack | entry MB JSON |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, row in rows:
        print(f"| {label} | {row['papers']:,} | {row['authors']:,} | {row['msgpack_write']:.3f} s "
              f"| {row['json_write']:.3f} s | {row['msgpack_read']:.3f} s | {row['json_read']:.3f} s "
              f"| {row['json_read'] / row['msgpack_read']:.2f}x | {row['msgpack_mb']:.1f} "
              f"| {row['json_mb']:.1f} |")  # fmt: skip


if __name__ == "__main__":
    main()
