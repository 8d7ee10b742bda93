"""What ``smotekit compare`` keeps on disk: finished folds as they come, and the final results.

Each finished fold is saved at once, atomically, as its own small CSV in a
*partial* folder (``DIR/partial/`` of ``--report DIR``, else ``OUT.partial/`` next
to ``--output OUT``), beside ``run.json``, the fingerprint of the run (input file,
methods, CV, seed, ...).  An interrupted run (Ctrl-C, SIGTERM, a crash) keeps every
fold it finished; ``--resume`` reads them back when the fingerprint matches, and
computes only the rest.  After the final outputs are written the partial folder
is removed.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from ..evaluation._atomic import write_bytes
from ._errors import UsageError
from ._tables import is_stdout

__all__ = ["Checkpoint", "fingerprint", "results_json"]

_FINGERPRINT = "run.json"


def fingerprint(args: argparse.Namespace) -> dict[str, Any]:
    """What must be the same for saved folds to be reused: the data and every option that
    changes a score.

    Parameters
    ----------
    args : argparse.Namespace
        The options of ``compare``.

    Returns
    -------
    dict
        JSON-serializable.
    """
    source: Any = None
    if args.input:
        path = Path(args.input)
        stat = path.stat()
        source = {"file": str(path.resolve()), "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    keys = ("target", "dataset", "methods", "k", "m", "cv", "metrics", "estimator", "scale")
    keys += ("seed", "ignore", "no_threshold_baseline")
    return {"input": source, **{key: getattr(args, key, None) for key in keys}}


class Checkpoint:
    """The partial folder of one ``compare`` run.

    Parameters
    ----------
    folder : pathlib.Path
    run : dict
        :func:`fingerprint` of the run.
    """

    def __init__(self, folder: Path, run: dict[str, Any]) -> None:
        self.folder = folder
        self.run = run

    @classmethod
    def for_args(cls, args: argparse.Namespace) -> Checkpoint | None:
        """The checkpoint of ``--report`` or ``--output``; None when neither names a place."""
        if args.report:
            folder = Path(args.report) / "partial"
        elif args.output and not is_stdout(args.output):
            out = Path(args.output)
            folder = out.with_name(out.name + ".partial")
        else:
            return None
        return cls(folder, fingerprint(args))

    def open(self, resume: bool) -> dict[str, pd.DataFrame]:
        """Create the folder now; with ``resume``, the saved folds by dataset.

        Raises
        ------
        UsageError
            When the folder cannot be created, ``resume`` finds folds of another run,
            or finds nothing to resume.
        """
        saved: dict[str, pd.DataFrame] = {}
        if not resume:
            shutil.rmtree(self.folder, ignore_errors=True)  # a fresh run replaces them
        elif not (saved := self._saved()):
            raise UsageError(
                f"--resume: no finished folds are saved in {str(self.folder)!r}; run without "
                "--resume"
            )
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create {str(self.folder)!r}: {exc.strerror}") from None
        write_bytes(self.folder / _FINGERPRINT, json.dumps(self.run, indent=1).encode("utf-8"))
        return saved

    def _saved(self) -> dict[str, pd.DataFrame]:
        marker = self.folder / _FINGERPRINT
        if not marker.is_file():
            return {}
        try:
            earlier = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            earlier = None
        if earlier != self.run:
            before = earlier if isinstance(earlier, dict) else {}
            changed = sorted(
                k for k in set(self.run) | set(before) if before.get(k) != self.run.get(k)
            )
            raise UsageError(
                f"the folds saved in {str(self.folder)!r} come from another run (it differs in "
                f"{', '.join(changed) or 'its record'}); run without --resume to start afresh"
            )
        frames: dict[str, list[pd.DataFrame]] = {}
        for path in sorted(self.folder.glob("*.csv")):
            frame = pd.read_csv(path)
            if len(frame):
                frames.setdefault(str(frame["dataset"].iloc[0]), []).append(frame)
        return {
            name: pd.concat(parts, ignore_index=True).drop(columns="dataset")
            for name, parts in frames.items()
        }

    def save_fold(self, dataset: str, fold: pd.DataFrame) -> None:
        """Write one finished fold, atomically."""
        repeat, number = int(fold["repeat"].iloc[0]), int(fold["fold"].iloc[0])
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in dataset)
        path = self.folder / f"{safe}__repeat{repeat}_fold{number}.csv"
        body = fold.assign(dataset=dataset).to_csv(index=False)
        write_bytes(path, body.encode("utf-8"))

    def saved_folds(self) -> int:
        """How many finished folds the folder holds."""
        return len(list(self.folder.glob("*.csv"))) if self.folder.is_dir() else 0

    def remove(self) -> None:
        """Delete the folder (after the final outputs are written)."""
        shutil.rmtree(self.folder, ignore_errors=True)


def results_json(
    results: pd.DataFrame, summary: pd.DataFrame, verdict: list[str], inputs: dict[str, Any]
) -> str:
    """The ``--format json`` document: inputs, verdict, summary and per-fold results.

    Returns
    -------
    str
        A JSON object with the keys ``inputs``, ``verdict`` (sentences), ``summary``
        and ``results`` (lists of records).
    """
    document = {
        "inputs": inputs,
        "verdict": verdict,
        "summary": json.loads(summary.to_json(orient="records")),
        "results": json.loads(results.to_json(orient="records")),
    }
    return json.dumps(document, indent=1, default=str) + "\n"
