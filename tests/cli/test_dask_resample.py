"""``smotekit resample --engine dask``: the same rows as the memory engine, checks before work."""

from __future__ import annotations

import signal

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import smotekit._cli._dask_resample as dask_path  # noqa: E402
from smotekit._cli._methods import methods  # noqa: E402
from smotekit.cli import Terminated, main  # noqa: E402
from smotekit.dask import SUPPORTED_SAMPLERS  # noqa: E402

N_ROWS = 2000
#: A method the Dask engine does not run (the first; the engine gains samplers over time).
UNSUPPORTED = next(
    name
    for name, method in methods().items()
    if not any(c.__name__ in SUPPORTED_SAMPLERS for c in method.cls.__mro__)
)
#: Two worker processes (a cluster start costs a few seconds: two tests use one).
CLUSTER = ["--workers", "2", "--memory-limit", "1GiB"]
#: No cluster: dask's threads in this process.
THREADS = ["--workers", "0"]


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    """One table as a single Parquet file, a folder of 3 Parquet parts, a CSV and 3 CSV parts."""
    root = tmp_path_factory.mktemp("tables")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "height": rng.normal(170, 10, N_ROWS),
            "label": np.where(rng.random(N_ROWS) < 0.1, "rare", "common"),
            "count": rng.integers(0, 9, N_ROWS),
            "ratio": rng.random(N_ROWS).astype("float32"),
        }
    )
    (root / "parts").mkdir()
    (root / "csv").mkdir()
    for i, rows in enumerate(np.array_split(np.arange(N_ROWS), 3)):
        frame.iloc[rows].to_parquet(root / "parts" / f"part{i}.parquet", index=False)
        frame.iloc[rows].to_csv(root / "csv" / f"part{i}.csv", index=False)
    frame.to_parquet(root / "whole.parquet", index=False)
    frame.to_csv(root / "whole.csv", index=False)
    return root


@pytest.fixture
def no_cluster(monkeypatch):
    """Fail the test if a cluster starts."""

    def refuse(*args, **kwargs):
        raise AssertionError("a LocalCluster was started")

    monkeypatch.setattr(distributed, "LocalCluster", refuse)


def run(args, capsys):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def run_both(capsys, memory_args, dask_args):
    """Run the memory and the dask engine; their exit statuses and summary lines."""
    mem = run(["resample", *memory_args], capsys)
    dsk = run(["resample", *dask_args, "--engine", "dask"], capsys)
    assert mem[0] == 0, mem[2]
    assert dsk[0] == 0, dsk[2]
    return mem, dsk


def summary(result):
    """The printed line without the output's name."""
    line = result[1].strip()
    assert line.startswith("wrote "), line
    return line[line.index(" (") :]


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def assert_user_error(result, *fragments):
    code, _, err = result
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("smotekit: error: "), err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


# --------------------------------------------------------------- the same rows as in memory


def test_parquet_folder_round_trip_matches_memory(tables, tmp_path, capsys):
    mem_out, dask_out = tmp_path / "memory.parquet", tmp_path / "dask.parquet"
    common = ["--target", "label", "--seed", "3"]
    mem, dsk = run_both(
        capsys,
        [tables / "whole.parquet", "-o", mem_out, *common],
        [tables / "parts", "-o", dask_out, *common, *CLUSTER, "--partition-rows", "350"],
    )
    expected = pd.read_parquet(mem_out)
    assert dask_out.is_dir()
    pd.testing.assert_frame_equal(pd.read_parquet(dask_out), expected)
    parts = sorted(dask_out.iterdir())
    sizes = [pq.ParquetFile(p).metadata.num_rows for p in parts]
    assert sum(sizes) == len(expected) > N_ROWS
    assert len(sizes) > 10 and sizes[:-1] == [350] * (len(sizes) - 1) and 0 < sizes[-1] <= 350
    assert summary(dsk) == summary(mem) and dsk[2] == ""
    assert leftovers(tmp_path) == []


def test_csv_glob_to_compressed_csv_matches_memory(tables, tmp_path, capsys):
    mem_out, dask_out = tmp_path / "memory.csv.gz", tmp_path / "dask.csv.gz"
    common = ["--target", "label", "--method", "adasyn", "--strategy", "rare:1500"]
    mem, dsk = run_both(
        capsys,
        [tables / "whole.csv", "-o", mem_out, *common],
        [tables / "csv" / "part*.csv", "-o", dask_out, "--workers", "2", *common],
    )
    expected = pd.read_csv(mem_out)
    assert (expected["label"] == "rare").sum() == 1500
    pd.testing.assert_frame_equal(pd.read_csv(dask_out), expected)
    assert summary(dsk) == summary(mem) and dsk[2] == ""
    assert leftovers(tmp_path) == []


def test_threads_batched_mode_with_progress(tables, tmp_path, capsys, no_cluster):
    mem_out, dask_out = tmp_path / "memory.parquet", tmp_path / "dask"
    common = ["--target", "label", "--k", "3"]
    mem, dsk = run_both(
        capsys,
        [tables / "whole.parquet", "-o", mem_out, *common],
        [tables / "parts", "-o", dask_out, *common, *THREADS, "--mode", "batched", "--progress"],
    )
    pd.testing.assert_frame_equal(pd.read_parquet(dask_out), pd.read_parquet(mem_out))
    assert "100% Completed" in dsk[2]
    assert summary(dsk) == summary(mem)


def test_smotenc_text_column_matches_memory(tmp_path, capsys, no_cluster):
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "x": rng.normal(size=300),
            "colour": rng.choice(["red", "green", "blue"], 300),
            "y": np.where(rng.random(300) < 0.2, "a", "b"),
        }
    )
    (tmp_path / "parts").mkdir()
    for i, rows in enumerate(np.array_split(np.arange(300), 3)):
        frame.iloc[rows].to_parquet(tmp_path / "parts" / f"{i}.parquet", index=False)
    frame.to_parquet(tmp_path / "whole.parquet", index=False)
    common = ["--target", "y", "--method", "smotenc", "--categorical", "colour"]
    mem, dsk = run_both(
        capsys,
        [tmp_path / "whole.parquet", "-o", tmp_path / "memory.parquet", *common],
        [tmp_path / "parts", "-o", tmp_path / "dask", *common, *THREADS],
    )
    expected = pd.read_parquet(tmp_path / "memory.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "dask"), expected)
    assert summary(dsk) == summary(mem) and dsk[2] == ""


@pytest.mark.parametrize("name", ["out.parquet", "out.csv"])
def test_terminated_while_writing_leaves_nothing(tables, tmp_path, capsys, monkeypatch, name):
    written = []

    def terminate_after_writing(*collections):
        real(*collections)
        written.extend(p.name for p in tmp_path.iterdir())
        raise Terminated(signal.SIGTERM)

    real = dask_path._compute
    monkeypatch.setattr(dask_path, "_compute", terminate_after_writing)
    out = tmp_path / name
    code, stdout, err = run(
        [
            "resample",
            tables / "parts",
            "--target",
            "label",
            "-o",
            out,
            "--engine",
            "dask",
            *THREADS,
        ],
        capsys,
    )
    assert code == 143 and "terminated (SIGTERM)" in err
    assert len(written) == 1 and written[0].startswith(".out.")  # the temporary was there
    assert list(tmp_path.iterdir()) == [] and stdout == ""


# ---------------------------------------------------------------------- refused before work


@pytest.mark.parametrize(
    ("extra", "fragments"),
    [
        (["--target", "nope"], ["no column 'nope'", "--target", "height, label, count"]),
        (["--method", UNSUPPORTED], [f"--method {UNSUPPORTED}", "--engine dask", "smote"]),
        (["--memory-limit", "lots"], ["--memory-limit 'lots'"]),
        (["--workers", "-1"], ["--workers", ">= 0"]),
        (["--partition-rows", "0"], ["--partition-rows", ">= 1"]),
        (["--mode", "fast"], ["--mode", "gather"]),
        (["--k", "0"], ["smote", "k_neighbors"]),
    ],
)
def test_bad_options(tables, tmp_path, capsys, no_cluster, extra, fragments):
    args = ["resample", tables / "parts", "-o", tmp_path / "out", "--target", "label"]
    result = run([*args, "--engine", "dask", *extra], capsys)
    assert_user_error(result, *fragments)
    assert not (tmp_path / "out").exists()


def test_dask_options_need_the_dask_engine(tables, tmp_path, capsys):
    args = ["resample", tables / "whole.csv", "-o", tmp_path / "o.csv", "--target", "label"]
    assert_user_error(run([*args, "--workers", "2"], capsys), "--workers", "--engine dask")


def test_non_numeric_columns_name_smotenc(tmp_path, capsys, no_cluster):
    frame = pd.DataFrame({"x": np.arange(40.0), "colour": ["red", "blue"] * 20, "y": [0, 1] * 20})
    frame.to_parquet(tmp_path / "in.parquet")
    args = ["resample", tmp_path / "in.parquet", "-o", tmp_path / "out", "--target", "y"]
    assert_user_error(run([*args, "--engine", "dask"], capsys), "smote", "--method smotenc")


def test_output_checks(tables, tmp_path, capsys, no_cluster):
    def attempt(source, out):
        args = ["resample", source, "-o", out, "--target", "label", "--engine", "dask"]
        return run(args, capsys)

    parts = tables / "parts"
    before = sorted(p.name for p in parts.iterdir())
    assert_user_error(attempt(parts, parts), "refusing to overwrite the input")
    assert_user_error(attempt(parts, parts / "out.parquet"), "refusing to overwrite the input")
    assert_user_error(attempt(tables / "whole.parquet", tables / "whole.parquet"), "refusing")
    assert sorted(p.name for p in parts.iterdir()) == before
    existing = tmp_path / "existing"
    existing.mkdir()
    (existing / "keep.txt").write_text("mine")
    assert_user_error(attempt(parts, existing), "already exists")
    assert (existing / "keep.txt").read_text() == "mine"
    assert_user_error(attempt(parts, tmp_path / "missing" / "out"), "'" + str(tmp_path / "missing"))
    assert_user_error(attempt(parts, tmp_path / "out.csv.zip"), "cannot write .zip")
    assert_user_error(attempt(tmp_path / "absent", tmp_path / "out"), "does not exist")
    assert_user_error(attempt(tmp_path / "*.csv", tmp_path / "out"), "no file matches")
    assert_user_error(attempt(tmp_path, tmp_path / "out"), "holds no .parquet files")
    (tmp_path / "twice.csv").write_text("a,a,label\n1,2,x\n")
    assert_user_error(attempt(tmp_path / "twice.csv", tmp_path / "out"), "duplicate column")
    assert leftovers(tmp_path) == []
