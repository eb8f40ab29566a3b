"""JUnit XML: a testcase per case and target and per family, failures in wire terms, well-formed."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from attrs import evolve

from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.core.outcome import Outcome
from conformance.engine.runner import result_records
from conformance.report.junit import render_junit, xml_attr, xml_text
from conformance.results.records import (
    STATUSES,
    CaseRecord,
    FindingRecord,
    Footer,
    Header,
    ProblemRecord,
    Record,
    ResultRecord,
    StaleRecord,
    TargetInfo,
)
from conformance.results.writer import ResultsWriter
from conformance.sources.cases import Case
from tests.family_runs import as_expected, family_run

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ("orq-python", "orq-node")
W = jsonwire.loads


def case_records(case: Case, outcomes: dict[str, Outcome]) -> list[Record]:
    """The case record and its judged results."""
    return [
        CaseRecord(case.id, case.model, case.direction, case.wire, case.valid),
        *result_records(case, [(t, outcomes[t]) for t in outcomes], Policy()),
    ]


def sample() -> list[Record]:
    """A pass, a divergence, an error with stderr, a skip and a case file that did not load."""
    header = Header(
        "conformance",
        "test",
        "2026-01-01T00:00:00+00:00",
        tuple(TargetInfo(t, "sdk") for t in TARGETS),
    )
    return [
        header,
        ProblemRecord("not valid JSON", "fix the file", "cases/bad.json", 3, 1),
        *case_records(
            Case("tokens", "Usage", "response", W('{"total":0.0,"big":9007199254740993}')),
            {
                "orq-python": Outcome(
                    "accepted", W('{"total":0.0,"big":9007199254740993}'), seconds=0.25
                ),
                "orq-node": Outcome("accepted", W('{"total":0,"big":9007199254740992}')),
            },
        ),
        *case_records(
            Case("crash", "Completion", "response", W('{"id":"x"}')),
            {
                "orq-python": Outcome("skipped", error="no such model in this SDK"),
                "orq-node": Outcome(
                    "error", error="harness crashed (exit 3)", stderr="Traceback\x1b[31m\n"
                ),
            },
        ),
    ]


def parse(records: list[Record]) -> ET.Element:
    """The JUnit document, parsed (which fails on anything XML 1.0 forbids)."""
    return ET.fromstring(render_junit(records).encode("utf-8"))


def case_named(root: ET.Element, name: str) -> ET.Element:
    """The testcase of that name."""
    found = root.find(f".//testcase[@name='{name}']")
    assert found is not None, name
    return found


def test_one_testcase_per_case_and_target() -> None:
    """Every result is a testcase named ``case_id [target]`` with the model as classname."""
    root = parse(sample())
    names = [(c.get("classname"), c.get("name")) for c in root.iter("testcase")]
    assert names == [
        ("(cases that did not load)", "cases/bad.json:3"),
        ("Usage", "tokens [orq-python]"),
        ("Usage", "tokens [orq-node]"),
        ("Completion", "crash [orq-python]"),
        ("Completion", "crash [orq-node]"),
    ]


def test_divergence_is_a_failure_in_wire_terms() -> None:
    """A diverging result fails with each divergence's path, kind and both sides' exact values."""
    failure = case_named(parse(sample()), "tokens [orq-node]").find("failure")
    assert failure is not None
    assert failure.get("message", "").startswith("1 failing divergence(s): FAIL value $.big")
    assert "FAIL value $.big: input: 9007199254740993 | orq-node: 9007199254740992" in (
        failure.text or ""
    )
    assert "NOTE number-format $.total: input: 0.0 | orq-node: 0" in (failure.text or "")


def test_error_carries_the_message_and_stderr() -> None:
    """An errored result is an ``<error>`` with the harness's stderr beside it."""
    case = case_named(parse(sample()), "crash [orq-node]")
    error = case.find("error")
    assert error is not None
    assert error.text == "harness crashed (exit 3)"
    assert case.findtext("system-err") == "Traceback\\x1b[31m\n"


def test_skip_is_skipped_with_its_reason() -> None:
    """A skipped result is ``<skipped>`` with the harness's reason."""
    skipped = case_named(parse(sample()), "crash [orq-python]").find("skipped")
    assert skipped is not None
    assert skipped.get("message") == "no such model in this SDK"


def test_pass_has_no_verdict_element() -> None:
    """A passing result is an empty testcase with its time."""
    case = case_named(parse(sample()), "tokens [orq-python]")
    assert list(case) == []
    assert case.get("time") == "0.250000"


def test_problem_is_an_error() -> None:
    """A case file that did not load is an error, so a viewer shows why the run failed."""
    error = case_named(parse(sample()), "cases/bad.json:3").find("error")
    assert error is not None
    assert "fix the file" in (error.text or "")


def test_suites_count_their_testcases() -> None:
    """Each suite, and the whole document, counts tests, failures, errors and skips."""
    root = parse(sample())
    counts = {
        s.get("name"): [s.get(k) for k in ("tests", "failures", "errors", "skipped")] for s in root
    }
    assert counts == {
        "(cases that did not load)": ["1", "0", "1", "0"],
        "Usage": ["2", "1", "0", "0"],
        "Completion": ["2", "0", "1", "1"],
    }
    assert [root.get(k) for k in ("tests", "failures", "errors", "skipped")] == ["5", "1", "2", "1"]


def test_expected_failure_is_skipped_with_its_reason() -> None:
    """A result whose divergences were all expected is skipped, naming the entries' reasons."""
    records = sample()
    result = next(r for r in records if isinstance(r, ResultRecord) and r.status == "diverge")
    excused = tuple(d.with_severity("expected", "JSON.parse rounds") for d in result.divergences)
    records[records.index(result)] = evolve(result, status="expected", divergences=excused)
    skipped = case_named(parse(records), "tokens [orq-node]").find("skipped")
    assert skipped is not None
    assert skipped.get("message") == "expected failure: JSON.parse rounds"


def test_stale_expected_failure_is_a_failure() -> None:
    """An expected failure that did not happen fails in a suite of its own."""
    records = [*sample(), StaleRecord("big-*", "value", "$.big", "fixed upstream", ("orq-node",))]
    failure = case_named(parse(records), "big-* value $.big").find("failure")
    assert failure is not None
    assert failure.text == "value $.big (orq-node): fixed upstream"


def test_characters_xml_forbids_become_visible_escapes() -> None:
    """Control characters and lone surrogates are written as ``\\xNN`` / ``\\uNNNN``, never raw."""
    assert xml_text("a\x00b\x1bc\ud800d\ufffe<&>") == "a\\x00b\\x1bc\\ud800d\\ufffe&lt;&amp;&gt;"


def test_attributes_keep_quotes_and_line_breaks() -> None:
    """An attribute value escapes quotes and keeps newlines and tabs as character references."""
    assert xml_attr('say "hi"\n\tnow') == '"say &quot;hi&quot;&#10;&#9;now"'


def test_hostile_names_stay_well_formed() -> None:
    """Markup and control characters in ids, models and targets still give parseable XML."""
    hostile = '</testcase><x a="\x07">]]>\ud83d'
    records = case_records(
        Case(hostile, hostile, "response", W('{"a":1}')),
        {hostile: Outcome("error", error=hostile, stderr=hostile)},
    )
    root = parse(records)
    case = next(root.iter("testcase"))
    assert (
        case.get("name")
        == '</testcase><x a="\\x07">]]>\\ud83d [' + '</testcase><x a="\\x07">]]>\\ud83d]'
    )


def test_report_command_writes_junit(tmp_path: Path) -> None:
    """`conformance report --junit` writes the document next to nothing else."""
    results = tmp_path / "results.ndjson"
    with ResultsWriter(results) as writer:
        writer.write_all(sample())
        writer.write(Footer(dict.fromkeys(STATUSES, 0), "2026-01-01T00:00:01+00:00", 1.0, 1))
    out = tmp_path / "junit.xml"
    done = subprocess.run(
        [sys.executable, "-m", "conformance", "report", str(results), "--junit", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert ET.parse(out).getroot().get("tests") == "5"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junit.xml", "results.ndjson"]


def findings_suite(root: ET.Element) -> ET.Element:
    """The ``findings`` testsuite."""
    found = root.find("testsuite[@name='findings']")
    assert found is not None
    return found


BIG = (
    "orq-python turns integer beyond 2^53 into the nearest float64;"
    " orq-python alone against the other SDKs"
)


def test_each_family_is_a_failing_testcase_per_diverging_target() -> None:
    """A family is a testcase named by its sentence under each diverging target, whose failure
    message is the sentence and its example; the per-case testcases stay."""
    root = parse(family_run())
    suite = findings_suite(root)
    assert [(c.get("classname"), c.get("name")) for c in suite.iter("testcase")] == [
        ("orq-python", BIG),
        (
            "orq-python",
            "orq-python drops integer; orq-python alone against the other SDKs",
        ),
    ]
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("2", "2", "0")
    failure = case_named(suite, BIG).find("failure")
    assert failure is not None
    assert failure.get("message") == (
        f"{BIG}; e.g. big-0 at $.big: 9007199254740993 vs 9007199254740992"
    )
    assert "  orq-python: 9007199254740992" in (failure.text or "")
    assert case_named(root, "big-0 [orq-python]").find("failure") is not None


def test_a_family_on_two_targets_is_a_testcase_for_each() -> None:
    """Every target on a family's diverging side gets its own testcase."""
    (first, *_) = [r for r in family_run() if isinstance(r, FindingRecord)]
    root = parse([evolve(first, diverging=("orq-python", "orq-node"))])
    cases = list(findings_suite(root).iter("testcase"))
    assert [c.get("classname") for c in cases] == ["orq-python", "orq-node"]


def test_expected_family_is_skipped_not_failed() -> None:
    """A family of expected failures is a skipped testcase that names it as expected."""
    records = [
        as_expected(r) if isinstance(r, FindingRecord) and r.cases == 3 else r for r in family_run()
    ]
    suite = findings_suite(parse(records))
    assert (suite.get("failures"), suite.get("skipped")) == ("1", "1")
    skipped = case_named(suite, BIG).find("skipped")
    assert skipped is not None
    assert (skipped.get("message") or "").startswith(f"expected failure: {BIG}; e.g. big-0")


def test_shards_findings_are_merged_into_one_testcase() -> None:
    """Two shards' records of one family make one testcase that counts both shards' cases."""
    root = parse([*family_run(prefix="a-"), *family_run(prefix="b-")])
    suite = findings_suite(root)
    assert suite.get("tests") == "2"
    failure = case_named(suite, BIG).find("failure")
    assert failure is not None
    assert ": value, 6 case(s), " in (failure.text or "")


def test_a_run_without_finding_records_has_no_findings_suite() -> None:
    """Results written before finding records existed render as before."""
    assert parse(sample()).find("testsuite[@name='findings']") is None


def test_attribute_values_escape_exactly_what_xml_needs() -> None:
    """Plain text is taken as it is; each character XML cannot hold as it is in an attribute is
    escaped, at the start, in the middle and at the end of a value."""
    assert xml_attr("case-001 [orq-python]") == '"case-001 [orq-python]"'
    escapes = {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
        "\x1b": "\\x1b",
        "\x00": "\\x00",
        "\ud800": "\\ud800",
        "\ufffe": "\\ufffe",
        "\uffff": "\\uffff",
    }
    for raw, escaped in escapes.items():
        assert xml_attr(f"{raw}a{raw}b{raw}") == f'"{escaped}a{escaped}b{escaped}"'
    assert xml_attr("\x7f é \u2028") == '"\x7f é \u2028"'  # XML 1.0 holds these as they are


def test_many_testcases_keep_their_order_per_suite() -> None:
    """Testcases kept a block at a time come out in order in their suite, as many as there
    were, whatever blocks they were kept in (models interleaved, a block and a part)."""
    from conformance.report.junit import _Suite

    header = Header("conformance", "test", "2026-01-01T00:00:00+00:00", (TargetInfo("t", "sdk"),))
    records: list[Record] = [header]
    count = _Suite.BLOCK * 2 + 7
    for number in range(count):
        case = Case(f"c{number}", f"M{number % 3}", "response", W("{}"))
        records += case_records(case, {"t": Outcome("accepted", W("{}"), seconds=0.5)})
    root = parse(records)
    for model in ("M0", "M1", "M2"):
        suite = root.find(f"testsuite[@name='{model}']")
        assert suite is not None
        names = [c.get("name") for c in suite.iter("testcase")]
        expected = [f"c{n} [t]" for n in range(count) if f"M{n % 3}" == model]
        assert names == expected
        assert suite.get("tests") == str(len(expected))
