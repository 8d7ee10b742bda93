"""The code blocks of the README and the guides run (blocks marked "not run" excepted)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def python_blocks(page: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_code_blocks_run(page, tmp_path, monkeypatch):
    blocks = [b for b in python_blocks(page) if not b.startswith("# not run")]
    if not blocks:
        pytest.skip(f"{page.name} has no runnable python block")
    monkeypatch.chdir(tmp_path)  # anything a block writes lands here
    namespace: dict = {}
    for i, block in enumerate(blocks):
        exec(compile(block, f"{page.name}[block {i}]", "exec"), namespace)
