"""The Python README's examples print what they show: its ```pycon blocks run as doctests."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "bindings" / "python" / "README.md"


def test_readme_examples_print_what_they_show() -> None:
    blocks = re.findall(r"^```pycon\n(.*?)^```$", README.read_text(encoding="utf-8"), re.M | re.S)
    assert len(blocks) >= 2, "the README's doctest blocks are gone"
    # One namespace for all blocks, in order, as a reader would type them.
    test = doctest.DocTestParser().get_doctest(
        "\n".join(blocks), {}, "bindings/python/README.md", str(README), 0
    )
    assert len(test.examples) >= 15
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    out: list = []
    result = runner.run(test, out=out.append)
    assert result.failed == 0, "".join(out)
