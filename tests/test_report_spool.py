"""The report's on-disk lines come back whole and in the order the page needs."""

from __future__ import annotations

from conformance.report.spool import Lines, RankedRows, Spans, Texts


def test_lines_come_back_in_order_and_can_be_read_again() -> None:
    """Every line, in order, on each reading; lines added after a reading follow the others."""
    lines = Lines()
    for text in ("a", "b c", ""):
        lines.add(text)
    assert list(lines) == ["a", "b c", ""]
    lines.add("d")
    assert list(lines) == ["a", "b c", "", "d"]
    assert lines.count == 4


def test_ranked_rows_come_back_worst_first_and_in_arrival_order_within_a_rank() -> None:
    """As a stable sort by rank would give them, with JSON values intact."""
    rows = RankedRows()
    given = [(2, ["x", 1]), (0, ["y", "<&>"]), (2, ["z", [3]]), (1, ["w", None]), (0, ["v", 0])]
    for rank, row in given:
        rows.add(rank, row)
    expected = [row for _, row in sorted(given, key=lambda each: each[0])]
    assert list(rows) == expected
    assert rows.count == 5


def test_spans_sharing_one_file_keep_their_own_texts_whole() -> None:
    """Two lists in one file: each gets back its own texts, line breaks and surrogates too."""
    shared = Texts()
    first, second = Spans(shared), Spans(shared)
    first.append("<a>\n  x\n</a>")
    second.append("\ud800 lone")
    first.append("")
    second.append("é")
    assert list(first) == ["<a>\n  x\n</a>", ""]
    assert list(second) == ["\ud800 lone", "é"]
    assert len(first) == len(second) == 2


def test_texts_added_after_a_reading_and_across_batches_come_back_whole() -> None:
    """Texts written a batch at a time read back the same, also when an early one is read
    between two additions and when they outgrow a batch."""
    texts = Texts()
    texts.BATCH = 8  # a batch of a few bytes: most additions write one
    given = ["first", "second one", *(f"text {n}\n" * n for n in range(1, 12)), "last"]
    places = [texts.add(text) for text in given[:2]]
    assert texts.read(*places[0]) == "first"  # the file is read before its end
    places += [texts.add(text) for text in given[2:]]
    assert [texts.read(*place) for place in places] == given


def test_ranked_rows_written_as_lines_come_back_as_those_lines_worst_first() -> None:
    """Rows kept as lines come back as they were kept, in the order of rows kept as values."""
    rows = RankedRows()
    rows.add_line(2, "late")
    rows.add_line(0, '["first"]\t1,2')
    rows.add_line(2, "later")
    assert list(rows.lines()) == ['["first"]\t1,2', "late", "later"]
    assert rows.count == 3
