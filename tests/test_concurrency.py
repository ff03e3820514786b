"""Saves under real kills and concurrent writers, with real processes.

A save is atomic: a process killed at any moment leaves the old file or the
new one, and the temporary files of killed saves do not pile up (the next
save of the same file removes them).  Several processes saving one file at
once need no lock: the last to replace it wins, and a reader always finds a
complete ledger that one of them saved.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from provenance import Claim, Ledger, Proposition, Source
from provenance.files import load, save

__all__: list[str] = []

ROOT = Path(__file__).resolve().parents[1]
ENVIRONMENT = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])}

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and fork are POSIX")


def story(title: str, size: int) -> Ledger:
    """A ledger of `size` propositions, each with claims relayed through other sources."""
    sources = [
        Source(f"s{i}", f"Source {i}", reliability="ABCDEF"[i % 6], affiliation=f"party {i % 4}")
        for i in range(20)
    ]
    return Ledger.from_objects(
        sources,
        [Proposition(f"p{i}", f"Statement {i} of {title}. " + "x" * 100) for i in range(size)],
        [
            Claim(f"p{i}", f"s{(i + k) % 20}", via=[f"s{(i + k + 1) % 20}"], quote="q" * 100)
            for i in range(size)
            for k in range(2)
        ],
        title=title,
    )


def temporaries(path: Path) -> list[Path]:
    """The temporary files of saves of `path`."""
    return sorted(path.parent.glob(f".{path.name}.*.tmp"))


# Saves two ledgers in turn until killed.  Its disk is slow (a sleep before
# each fsync of a file) so that many kills land between the writing of the
# temporary file and the replacing of the target.
SAVING_UNTIL_KILLED = """
import os, stat, sys, time
from provenance.files import load, save

fsync = os.fsync

def slow_fsync(descriptor):
    if stat.S_ISREG(os.fstat(descriptor).st_mode):
        time.sleep(0.05)
    fsync(descriptor)

os.fsync = slow_fsync
target, *originals = sys.argv[1:]
ledgers = [load(path) for path in originals]
count = 0
while True:
    save(ledgers[count % 2], target)
    count += 1
    if count == 1:
        print("saved once", flush=True)
"""

# Waits for a line on standard input, then saves one ledger again and again.
SAVING_IN_A_RACE = """
import sys
from provenance.files import load, save

target, original, times = sys.argv[1], sys.argv[2], int(sys.argv[3])
ledger = load(original)
print("ready", flush=True)
sys.stdin.readline()
for _ in range(times):
    save(ledger, target)
"""


@pytest.mark.parametrize("suffix", [".toml", ".json"])
class TestKilledSaves:
    def test_temporary_files_do_not_pile_up(self, tmp_path: Path, suffix: str) -> None:
        """After each of many kills at random moments the file is one of the saved ledgers
        and at most one temporary file is left (the killed save's own); the next save by
        this process leaves none."""
        first, second = story("first", 150), story("second", 180)
        originals = [tmp_path / "first.json", tmp_path / "second.json"]
        for ledger, path in zip((first, second), originals, strict=True):
            save(ledger, path)
        target = tmp_path / f"story{suffix}"
        save(first, target)
        rng = random.Random()
        left = []
        for _ in range(8):
            child = subprocess.Popen(
                [sys.executable, "-c", SAVING_UNTIL_KILLED, str(target), *map(str, originals)],
                stdout=subprocess.PIPE,
                env=ENVIRONMENT,
            )
            assert child.stdout is not None
            assert b"saved once\n" == child.stdout.readline()
            delay = rng.uniform(0.0, 0.2)
            time.sleep(delay)
            child.send_signal(signal.SIGKILL)
            child.wait()
            child.stdout.close()
            assert load(target) in (first, second), f"killed after {delay:.3f}s"
            left.append(len(temporaries(target)))
        assert max(left) <= 1, f"temporary files left after each kill: {left}"
        save(second, target)
        assert [] == temporaries(target)
        assert second == load(target)


@pytest.mark.parametrize("suffix", [".toml", ".json"])
class TestConcurrentWriters:
    def test_readers_only_ever_see_a_complete_saved_ledger(
        self, tmp_path: Path, suffix: str
    ) -> None:
        """Three processes save their own ledger to one file 30 times each, at once; every
        read meanwhile gives one of their ledgers whole, the file ends as one of them (the
        last replaced), and no temporary file is left."""
        ledgers = [story(f"writer {n}", 60 + 20 * n) for n in range(3)]
        target = tmp_path / f"story{suffix}"
        save(ledgers[0], target)
        writers = []
        for n, ledger in enumerate(ledgers):
            original = tmp_path / f"writer-{n}.json"
            save(ledger, original)
            writers.append(
                subprocess.Popen(
                    [sys.executable, "-c", SAVING_IN_A_RACE, str(target), str(original), "30"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    env=ENVIRONMENT,
                )
            )
        for writer in writers:
            assert writer.stdout is not None
            assert b"ready\n" == writer.stdout.readline()
        for writer in writers:
            assert writer.stdin is not None
            writer.stdin.write(b"go\n")
            writer.stdin.close()
        seen: list[int] = []
        while any(writer.poll() is None for writer in writers):
            read = load(target)
            assert read in ledgers, "a read gave a ledger no writer saved"
            seen.append(ledgers.index(read))
        for writer in writers:
            assert writer.stdout is not None
            writer.stdout.close()
        assert [0, 0, 0] == [writer.returncode for writer in writers]
        assert seen, "the writers finished before a single read"
        assert load(target) in ledgers
        assert [] == temporaries(target)
