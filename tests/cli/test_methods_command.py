"""``smotekit methods`` lists every method the other commands accept, one line each."""

from __future__ import annotations

from smotekit._cli._methods import methods
from smotekit.cli import main


def test_one_line_per_method_naming_its_class_and_kind(capsys):
    assert main(["methods"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    table = methods()
    assert [line.split()[0] for line in lines] == list(table)
    for line, method in zip(lines, table.values()):
        assert method.cls._sampling_type in line and f"{method.cls.__name__}:" in line, line
    assert any(line.startswith("smoteenn ") for line in lines)
    assert "(also: enn)" in next(line for line in lines if line.startswith("editednearest"))
