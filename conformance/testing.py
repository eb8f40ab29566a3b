"""Fake harnesses for testing targets and runners: real protocol, fixed behaviour.

``python -m conformance.testing [--fault NAME] [--at N] [--delay S] [--bytes N] [--script F]
[--pidfile F] [--child-pidfile F] [--models F]`` runs a harness that speaks the protocol of
``conformance/schemas/harness-*.json`` and echoes every case back (accepted,
``wire_text`` = the input text, ``native`` = the input wire) except where its
fault says otherwise. Per-case faults hit the ``--at``-th case of each process
(default 2), so a restarted fake serves its first case again. Faults:

``crash-on-start``      exits with status 3 on ``start``, before answering
``slow-start``          sleeps ``--delay`` seconds (default 1) before answering ``start``
``not-ready``           answers ``start`` with ``ready: false``
``crash-mid-run``       exits with status 3 on the case, without answering
``exit-zero-mid-run``   exits with status 0 on the case, without answering
``hang``                never answers the case
``slow-run``            sleeps ``--delay`` seconds, then answers the case
``non-json``            prints a line that is not JSON instead of the answer
``wrong-seq``           answers the case with the previous case's ``seq``
``double-answer``       answers the case twice (both lines in one write)
``unknown-case``        answers the case with a ``seq`` that was never sent
``invalid-answer``      answers the case with JSON that breaks the answer schema
``internal-error``      answers the case with ``accepted: false, internal: true``
``stderr-flood``        writes ``--bytes`` (default 4 MiB) to stderr, then answers the case
``stderr-per-case``     writes one stderr line naming each case, then answers it
``reject-all``          rejects every case
``skip-all``            skips every case, naming its model in the reason
``echo-request``        accepts every case with the whole ``run`` request as ``native``
``scripted``            answers every case with the bytes of ``--script`` (read again for
                        each case, ``{seq}`` replaced by the case's ``seq``, a newline added)
``scripted-start``      answers ``start`` the same way

``--models F`` answers ``models`` with the listing in the JSON file ``F`` (a list of
entries, e.g. ``{"name": "Foo", "directions": ["response"], "keys": ["id"]}``) instead
of its one model ``Echo``.

``--pidfile F`` writes the fake's process id to ``F`` when it starts;
``--child-pidfile F`` starts a child that sleeps for ten minutes holding the
fake's stdin, stdout and stderr (as a background job of a harness would) and
writes the child's process id to ``F``.

The program uses the standard library only, so it runs under any interpreter
that can import this package.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from typing import IO, Any

__all__ = ["FAULTS", "fake_harness_command", "main"]

FAULTS = (
    "crash-on-start",
    "slow-start",
    "not-ready",
    "crash-mid-run",
    "exit-zero-mid-run",
    "hang",
    "slow-run",
    "non-json",
    "wrong-seq",
    "double-answer",
    "unknown-case",
    "invalid-answer",
    "internal-error",
    "stderr-flood",
    "stderr-per-case",
    "reject-all",
    "skip-all",
    "echo-request",
    "scripted",
    "scripted-start",
)


def fake_harness_command(fault: str | None = None, **params: object) -> list[str]:
    """The command line of the fake harness, e.g. ``fake_harness_command("hang", at=1)``."""
    if fault is not None and fault not in FAULTS:
        raise ValueError(f"unknown fault {fault!r}; choose one of {', '.join(FAULTS)}")
    command = [sys.executable, "-m", "conformance.testing"]
    if fault is not None:
        command += ["--fault", fault]
    for name, value in params.items():
        command += [f"--{name.replace('_', '-')}", str(value)]
    return command


class _Fake:
    """The fake's state: its fault, its settings and how many cases it has seen."""

    def __init__(self, options: argparse.Namespace, out: IO[bytes]) -> None:
        self.fault: str | None = options.fault
        self.at: int = options.at
        self.delay: float = options.delay
        self.flood: int = options.bytes
        self.script: str | None = options.script
        self.listing: str | None = options.models
        self.out = out
        self.cases = 0
        self.line = ""

    def write(self, text: str) -> None:
        self.out.write(text.encode("utf-8") + b"\n")
        self.out.flush()

    def answer(self, message: dict[str, Any]) -> None:
        self.write(json.dumps(message, separators=(",", ":")))

    def scripted(self, seq: object) -> None:
        """Write the script file's bytes as the answer, whatever they are."""
        if self.script is None:
            _say("fake harness: the scripted faults need --script FILE")
            sys.exit(2)
        with open(self.script, "rb") as handle:
            data = handle.read()
        self.out.write(data.replace(b"{seq}", str(seq).encode("ascii")) + b"\n")
        self.out.flush()

    def start(self, request: dict[str, Any]) -> None:
        if self.fault == "crash-on-start":
            _say("fake harness: crashing on start")
            sys.exit(3)
        if self.fault == "scripted-start":
            self.scripted(0)
            return
        if self.fault == "slow-start":
            time.sleep(self.delay)
        if self.fault == "not-ready":
            self.answer({"ready": False, "error": "fake harness is never ready"})
            return
        self.answer(
            {
                "ready": True,
                "implementation": {
                    "name": "fake",
                    "language": "python",
                    "sdk": "fake-sdk",
                    "sdk_version": "0.0.0",
                    "details": {"fault": self.fault or "none"},
                },
            }
        )

    def models(self) -> None:
        if self.listing is not None:
            with open(self.listing, encoding="utf-8") as handle:
                self.answer({"models": json.load(handle)})
            return
        self.answer({"models": [{"name": "Echo", "directions": ["request", "response"]}]})

    def run(self, request: dict[str, Any]) -> None:
        self.cases += 1
        seq = request["seq"]
        case = request["case"]
        fault = self.fault if self.cases == self.at else None
        if self.fault in ("reject-all", "skip-all", "stderr-per-case", "echo-request", "scripted"):
            fault = self.fault
        if fault == "scripted":
            self.scripted(seq)
            return
        if fault == "crash-mid-run":
            _say(f"fake harness: crashing on case {case['id']}")
            sys.exit(3)
        if fault == "exit-zero-mid-run":
            _say(f"fake harness: leaving quietly on case {case['id']}")
            sys.exit(0)
        if fault == "hang":
            _say(f"fake harness: hanging on case {case['id']}")
            while True:
                time.sleep(60)
        if fault == "slow-run":
            time.sleep(self.delay)
        if fault == "non-json":
            self.write("this line is not JSON")
            return
        if fault == "invalid-answer":
            self.answer({"seq": seq, "accepted": "yes"})
            return
        if fault == "internal-error":
            self.answer({"seq": seq, "accepted": False, "internal": True, "error": "fake bug"})
            return
        if fault == "reject-all":
            self.answer({"seq": seq, "accepted": False, "error": "fake harness rejects everything"})
            return
        if fault == "skip-all":
            reason = f"fake harness skips model {case['model']}"
            self.answer({"seq": seq, "skipped": True, "reason": reason})
            return
        if fault == "echo-request":
            self.write(
                f'{{"seq":{json.dumps(seq)},"accepted":true,'
                f'"wire_text":{json.dumps(case["wire_text"])},"native":{self.line}}}'
            )
            return
        if fault == "double-answer":
            text = case["wire_text"]
            answer = f'{{"seq":{json.dumps(seq)},"accepted":true,"wire_text":{json.dumps(text)}}}'
            self.write(f"{answer}\n{answer}")
            return
        if fault == "wrong-seq":
            seq -= 1
        elif fault == "unknown-case":
            seq += 1000
        elif fault == "stderr-flood":
            _flood(self.flood)
        elif fault == "stderr-per-case":
            _say(f"fake harness: running case {case['id']}")
        text = case["wire_text"]
        # Echo the input text as both the SDK's output and the native view, exactly.
        self.write(
            f'{{"seq":{json.dumps(seq)},"accepted":true,'
            f'"wire_text":{json.dumps(text)},"native":{text}}}'
        )


def _say(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _flood(size: int) -> None:
    line = "x" * 1023 + "\n"
    for _ in range(size // len(line)):
        sys.stderr.write(line)
    sys.stderr.write("fake harness: end of flood\n")
    sys.stderr.flush()


def _write_pid(path: str, pid: int) -> None:
    """Write ``pid`` to ``path`` whole (a reader never sees half a number)."""
    partial = f"{path}.partial"
    with open(partial, "w", encoding="ascii") as handle:
        handle.write(str(pid))
    os.replace(partial, path)


def main(argv: list[str] | None = None) -> int:
    """Serve requests on stdin until ``stop`` or end of input."""
    parser = argparse.ArgumentParser(prog="python -m conformance.testing", description=__doc__)
    parser.add_argument("--fault", choices=FAULTS)
    parser.add_argument("--at", type=int, default=2, help="which case of a process fails")
    parser.add_argument("--delay", type=float, default=1.0, help="slow-* delay in seconds")
    parser.add_argument("--bytes", type=int, default=4 << 20, help="stderr-flood size")
    parser.add_argument("--script", help="file whose bytes the scripted faults answer with")
    parser.add_argument("--pidfile", help="file to write the fake's process id to")
    parser.add_argument("--child-pidfile", help="start a sleeping child; write its id here")
    parser.add_argument("--models", help="JSON file with the listing to answer models with")
    options = parser.parse_args(argv)
    if options.pidfile:
        _write_pid(options.pidfile, os.getpid())
    if options.child_pidfile:
        # Inherits stdin, stdout and stderr, like a harness's background job.
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        _write_pid(options.child_pidfile, child.pid)
    fake = _Fake(options, sys.stdout.buffer)
    for line in sys.stdin.buffer:
        fake.line = line.decode("utf-8").strip()
        request = json.loads(line)
        cmd = request.get("cmd")
        if cmd == "start":
            fake.start(request)
        elif cmd == "models":
            fake.models()
        elif cmd == "run":
            fake.run(request)
        elif cmd == "stop":
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
