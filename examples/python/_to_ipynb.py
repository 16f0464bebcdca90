"""Writes `<name>.ipynb` from a percent-format `<name>.py` notebook (no jupytext needed).

    python examples/python/_to_ipynb.py examples/python/transcript_audit.py

The test suite checks the committed `.ipynb` is current.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Dict, List


def convert(source: str) -> Dict[str, Any]:
    cells: List[Dict[str, Any]] = []
    kind, lines = None, []  # type: ignore[var-annotated]

    def flush() -> None:
        body = "\n".join(lines).strip("\n")
        if kind is None or not body:
            return
        if kind == "markdown":
            text = "\n".join(l[2:] if l.startswith("# ") else l.lstrip("#") for l in body.splitlines())
            cells.append({"cell_type": "markdown", "metadata": {}, "source": text.splitlines(True)})
        else:
            cells.append({"cell_type": "code", "execution_count": None, "metadata": {},
                          "outputs": [], "source": body.splitlines(True)})

    header = True
    for line in source.splitlines():
        if header:  # skip the jupytext header block
            if line.startswith("# %%"):
                header = False
            else:
                continue
        if line.startswith("# %%"):
            flush()
            kind, lines = ("markdown" if "[markdown]" in line else "code"), []
        else:
            lines.append(line)
    flush()
    return {
        "cells": cells,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                     "language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def render(py: Path) -> str:
    nb = convert(py.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        cell["id"] = f"cell-{i}"
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        py = Path(arg)
        py.with_suffix(".ipynb").write_text(render(py), encoding="utf-8")
