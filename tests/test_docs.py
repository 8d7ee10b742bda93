"""Every code block of README.md and docs/*.md runs, as a reader would run it.

The convention, by the label of the fence (every fence has one; an unlabelled fence fails):

* ``python``: executed in order, in one namespace per page, with a fresh temporary folder
  as the working folder (the page's folder). A later block may use the names of an earlier
  one, as a reader running the page top to bottom would; a name used before the page
  defines it fails. A block that imports ``imblearn`` is skipped (and the page reported as
  skipped, after all its other blocks ran) only when imbalanced-learn is not installed: it
  is the optional extra ``smotekit[imblearn]``.
* ``bash``, ``sh``, ``shell``, ``console``: every command line (in ``console`` blocks only
  the lines after a ``$`` prompt; ``\\``-continued lines joined; ``#`` comments dropped) is
  checked by what it runs:

  - ``smotekit ...`` and ``python ...`` (``python``, ``python3`` or ``.venv/bin/python``:
    the interpreter running the tests) run in a subprocess, in the page's folder (so a
    python block can write the ``data.csv`` a later command reads), with the
    interpreter's ``bin`` folder first on ``PATH``; they must exit with status 0;
  - ``python benchmarks/NAME.py ...``: a measurement that runs for minutes, so not run;
    the script exists and its ``--help`` lists every option the line passes;
  - ``make TARGET ...``: setup and whole-project commands (a virtual environment, the
    whole test suite, benchmarks), not run; the Makefile defines each target;
  - ``pip install ...``: not run; every extra named, ``smotekit[extra]`` or ``.[extra]``, is
    one of ``[project.optional-dependencies]`` in pyproject.toml;
  - ``git worktree add FOLDER COMMIT``: not run; the commit exists (checked where this
    checkout has its full history);
  - any other program fails the test, to make the next page decide.
* ``text``, ``json``, ``csv``, ``toml``, ``yaml``, ``markdown``, ``html``: content (output,
  a synopsis, a formula, a diagram), not run.

Nothing reaches the network or the user's dataset cache: for every page ``SMOTEKIT_DATA``
is a fresh cache folder and ``SMOTEKIT_MIRROR`` a loopback HTTP server that serves the
three bundled datasets (exact copies) and stand-ins for the small datasets that the
catalogue verifies by shape and class counts only (scene, coil_2000: random values with the
catalogue's shape and minority count), so a block that downloads from Zenodo when a user
runs it downloads from that server here. Nothing here reads ``../shared``.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import re
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from smotekit.datasets import BENCHMARK_DATASETS, BUNDLED_DATASETS, load_dataset

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

PYTHON_LABELS = {"python"}
SHELL_LABELS = {"bash", "sh", "shell", "console"}
CONTENT_LABELS = {"text", "json", "csv", "toml", "yaml", "markdown", "html"}
INTERPRETERS = {"python", "python3", ".venv/bin/python"}
#: Stand-ins are made for shape-verified datasets up to this many values (scene, coil_2000).
MAX_STAND_IN_VALUES = 1_000_000
COMMAND_TIMEOUT_S = 600  # a hang guard, not a speed check

FENCE = re.compile(
    r"^(?P<indent> {0,3})```(?P<label>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S
)


@dataclass(frozen=True)
class Block:
    """One fenced code block of a page."""

    page: str
    line: int
    label: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


def code_blocks(page: Path) -> list[Block]:
    """The fenced blocks of ``page`` in order, their label lower-cased, their text dedented."""
    source = page.read_text(encoding="utf-8")
    blocks = []
    for match in FENCE.finditer(source):
        indent = len(match["indent"])
        body = "".join(line[indent:] for line in match["body"].splitlines(keepends=True))
        line = source.count("\n", 0, match.start()) + 1
        label = match["label"].strip().split(" ")[0].lower()
        blocks.append(Block(page.name, line, label, body))
    return blocks


def command_lines(block: Block) -> list[list[str]]:
    """The commands of a shell block, each split into its words (comments dropped)."""
    commands: list[str] = []
    continued = False
    for line in block.text.splitlines():
        line = line.strip()
        if continued:
            commands[-1] += " " + line
        elif block.label != "console":
            commands.append(line)
        elif line.startswith("$ "):
            commands.append(line[2:])
        else:
            continue  # output, in a console block
        continued = commands[-1].endswith("\\")
        commands[-1] = commands[-1].removesuffix("\\")
    return [words for command in commands if (words := shlex.split(command, comments=True))]


def imports_imblearn(code: str) -> bool:
    return re.search(r"^\s*(from|import)\s+imblearn\b", code, re.M) is not None


# --------------------------------------------------------------------------- the project


@functools.cache
def optional_extras() -> frozenset[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return frozenset(project.get("optional-dependencies", {}))


@functools.cache
def make_targets() -> frozenset[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return frozenset(re.findall(r"^([A-Za-z][\w.-]*)\s*:(?!=)", makefile, re.M))


@functools.cache
def script_help(script: Path) -> str:
    done = subprocess.run(
        [sys.executable, str(script), "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=COMMAND_TIMEOUT_S,
    )
    assert done.returncode == 0, f"{script} --help failed:\n{done.stderr}"
    return done.stdout


def commit_exists(commit: str) -> bool | None:
    """Whether this checkout has ``commit``; None where that cannot be known."""
    if not (ROOT / ".git").exists():
        return None
    try:
        shallow = subprocess.run(
            ["git", "rev-parse", "--is-shallow-repository"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
    except OSError:  # no git program
        return None
    if shallow.returncode != 0 or shallow.stdout.strip() != "false":
        return None
    found = subprocess.run(
        ["git", "cat-file", "-e", f"{commit}^{{commit}}"], capture_output=True, cwd=ROOT
    )
    return found.returncode == 0


# --------------------------------------------------------------------------- the mirror


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def write_mirror(folder: Path) -> None:
    """Archive members ``x{ID}data.npz``: the bundled datasets, stand-ins for small others."""
    rng = np.random.default_rng(0)
    for info in BENCHMARK_DATASETS:
        if info.name in BUNDLED_DATASETS:
            X, y = load_dataset(info.name)
        elif (
            info.sha256 is None
            and info.n_minority is not None
            and info.n_samples * info.n_features <= MAX_STAND_IN_VALUES
        ):
            X = rng.normal(size=(info.n_samples, info.n_features))
            y = np.full(info.n_samples, -1, dtype=np.int64)
            y[rng.choice(info.n_samples, info.n_minority, replace=False)] = 1
        else:
            continue
        np.savez(folder / info.filename, data=X, label=y)


@pytest.fixture(scope="module")
def mirror_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A loopback HTTP server standing in for Zenodo (see the module docstring)."""
    folder = tmp_path_factory.mktemp("mirror")
    write_mirror(folder)
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture
def page_environment(
    mirror_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """The page's working folder as cwd, an isolated cache and mirror; returns the env."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("SMOTEKIT_DATA", str(tmp_path / "cache"))
    monkeypatch.setenv("SMOTEKIT_MIRROR", mirror_url)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    for variable in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(variable, raising=False)
        monkeypatch.delenv(variable.upper(), raising=False)
    monkeypatch.setenv("no_proxy", "*")
    bin_dir = str(Path(sys.executable).parent)
    monkeypatch.setenv("PATH", bin_dir + os.pathsep + os.environ.get("PATH", ""))
    return dict(os.environ)


# --------------------------------------------------------------------------- commands


def check_command(words: list[str], block: Block, env: dict[str, str]) -> None:
    """Run or check one command line of a shell block (see the module docstring)."""
    program, args = words[0], words[1:]
    where = f"{block.where}: `{shlex.join(words)}`"
    if program == "make":
        missing = [t for t in args if not t.startswith("-") and t not in make_targets()]
        assert not missing, f"{where}: no Makefile target {missing}"
    elif program in {"pip", "pip3"} or (program in INTERPRETERS and args[:2] == ["-m", "pip"]):
        assert "install" in args, f"{where}: only `pip install` is checked"
        for spec in args[args.index("install") + 1 :]:
            for group in re.findall(r"^(?:smotekit|\.)\[([^\]]*)\]$", spec):
                extras = {e.strip() for e in group.split(",")}
                unknown = extras - optional_extras()
                assert not unknown, f"{where}: pyproject.toml has no extra {sorted(unknown)}"
    elif program == "git":
        assert args[:2] == ["worktree", "add"] and len(args) == 4, f"{where}: unknown git use"
        assert commit_exists(args[3]) is not False, f"{where}: no commit {args[3]}"
    elif program in INTERPRETERS and args and args[0].startswith("benchmarks/"):
        script = ROOT / args[0]
        assert script.is_file(), f"{where}: no script {args[0]}"
        options = {a.split("=")[0] for a in args[1:] if a.startswith("--")}
        listed = set(re.findall(r"--[\w-]+", script_help(script)))
        assert options <= listed, f"{where}: {args[0]} has no option {sorted(options - listed)}"
    elif program in INTERPRETERS or program == "smotekit":
        argv = [sys.executable, *args] if program in INTERPRETERS else words
        done = subprocess.run(
            argv, capture_output=True, text=True, env=env, timeout=COMMAND_TIMEOUT_S
        )
        assert done.returncode == 0, (
            f"{where} exited with {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
        )
    else:
        pytest.fail(f"{where}: the docs test does not know how to check `{program}`")


# --------------------------------------------------------------------------- the tests


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_fences_are_labelled(page: Path) -> None:
    """Every fence is found (opened and closed) and has a label this module knows."""
    blocks = code_blocks(page)
    fence_lines = re.findall(r"^ {0,3}```", page.read_text(encoding="utf-8"), re.M)
    assert len(fence_lines) == 2 * len(blocks), f"{page.name}: a fence is not closed"
    known = PYTHON_LABELS | SHELL_LABELS | CONTENT_LABELS
    unknown = [f"{b.where} ({b.label or 'no label'})" for b in blocks if b.label not in known]
    assert not unknown, f"label these fences with one of {sorted(known)}: {unknown}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_code_blocks_run(page: Path, page_environment: dict[str, str]) -> None:
    blocks = [b for b in code_blocks(page) if b.label in PYTHON_LABELS | SHELL_LABELS]
    if not blocks:
        pytest.skip(f"{page.name} has no code to run")
    have_imblearn = importlib.util.find_spec("imblearn") is not None
    namespace: dict = {"__name__": f"docs.{page.stem}"}
    skipped = []
    for block in blocks:
        if block.label in PYTHON_LABELS:
            if imports_imblearn(block.text) and not have_imblearn:
                skipped.append(block.where)
                continue
            exec(compile(block.text, block.where, "exec"), namespace)
        else:
            for words in command_lines(block):
                check_command(words, block, page_environment)
    if skipped:
        pytest.skip(f"imbalanced-learn is not installed; not run: {', '.join(skipped)}")


def test_named_extras_exist() -> None:
    """Every ``smotekit[extra]`` a page names, in prose too, is an extra of pyproject.toml."""
    named = {
        (page.name, extra.strip())
        for page in PAGES
        for group in re.findall(r"smotekit\[([\w,\s-]+)\]", page.read_text(encoding="utf-8"))
        for extra in group.split(",")
    }
    assert named, "no page names an extra"
    assert {(p, e) for p, e in named if e not in optional_extras()} == set()


def test_named_make_targets_exist() -> None:
    """Every ```make target``` a page names in its prose is a target of the Makefile."""
    named = {
        (page.name, target)
        for page in PAGES
        for target in re.findall(r"`make ([\w-]+)`", page.read_text(encoding="utf-8"))
    }
    assert {(p, t) for p, t in named if t not in make_targets()} == set()


def test_imbalanced_learn_is_optional() -> None:
    """``pip install .`` does not need imbalanced-learn; ``smotekit[imblearn]`` brings it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0] for d in project["dependencies"]]
    assert "imbalanced-learn" not in names
    extras = project["optional-dependencies"]
    assert any(d.startswith("imbalanced-learn") for d in extras["imblearn"])
    assert any(d.startswith("imbalanced-learn") for d in extras["dev"])


def test_readme_quick_start_runs_without_imbalanced_learn(tmp_path: Path) -> None:
    """The README's first python block, in a Python where ``import imblearn`` fails."""
    first = next(b for b in code_blocks(ROOT / "README.md") if b.label in PYTHON_LABELS)
    assert not imports_imblearn(first.text)
    program = (
        "import sys\n"
        "sys.modules['imblearn'] = None  # any import of imblearn now raises ImportError\n"
        "import smotekit, smotekit.cli, smotekit.datasets, smotekit.evaluation\n"
        f"exec(compile({first.text!r}, {first.where!r}, 'exec'), {{}})\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=COMMAND_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr
