"""The smotekit command line, driven through main(argv) and one real subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import smotekit
from smotekit.cli import main

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def table(tmp_path):
    rng = np.random.default_rng(0)
    n = 160
    frame = pd.DataFrame(
        {
            "height": rng.normal(170, 10, n),
            "label": np.where(np.arange(n) < 20, "rare", "common"),
            "count": rng.integers(0, 9, n),
            "flag": rng.random(n) < 0.3,
        }
    )
    path = tmp_path / "in.csv"
    frame.to_csv(path, index=False)
    return path, frame


def run(args, capsys):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_user_error(result, *fragments):
    code, _, err = result
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("smotekit: error: "), err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


# ----------------------------------------------------------------------------- resample


def test_resample_csv(table, tmp_path, capsys):
    path, frame = table
    out = tmp_path / "out.csv"
    code, stdout, _ = run(["resample", path, "--target", "label", "-o", out], capsys)
    assert code == 0
    result = pd.read_csv(out)
    assert list(result.columns) == list(frame.columns)  # target stays in place
    assert result["label"].value_counts().to_dict() == {"common": 140, "rare": 140}
    pd.testing.assert_frame_equal(result.iloc[: len(frame)], frame)  # originals first
    assert "280 rows, 120 synthetic" in stdout and "rare: 20 -> 140" in stdout
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_resample_with_an_under_sampler(table, tmp_path, capsys):
    path, frame = table
    out = tmp_path / "out.csv"
    args = ["resample", path, "--target", "label", "--method", "randomundersampler", "-o", out]
    code, stdout, _ = run(args, capsys)
    assert code == 0
    result = pd.read_csv(out)
    assert result["label"].value_counts().to_dict() == {"common": 20, "rare": 20}
    assert "40 rows, 120 removed" in stdout and "common: 140 -> 20" in stdout
    merged = result.merge(frame, how="left", indicator=True)
    assert (merged["_merge"] == "both").all()  # every row is an original row


def test_resample_parquet_keeps_dtypes(table, tmp_path, capsys):
    pytest.importorskip("pyarrow")
    path, frame = table
    source = tmp_path / "in.parquet"
    frame.astype({"count": "int16", "height": "float32"}).to_parquet(source)
    out = tmp_path / "out.parquet"
    code, _, err = run(
        ["resample", source, "--target", "label", "-o", out, "--method", "adasyn", "--k", 3],
        capsys,
    )
    assert code == 0, err
    result = pd.read_parquet(out)
    assert result.dtypes.to_dict() == pd.read_parquet(source).dtypes.to_dict()
    assert (result["count"] == result["count"].round()).all()


@pytest.mark.parametrize(
    ("options", "counts"),
    [
        (["--strategy", "0.5"], {"common": 140, "rare": 70}),
        (["--strategy", "rare:50"], {"common": 140, "rare": 50}),
        (["--strategy", "rare=30", "--method", "random"], {"common": 140, "rare": 30}),
        (["--method", "borderline2", "--m", "6", "--k", "3"], None),
        (["--method", "ros", "--strategy", "not_majority"], {"common": 140, "rare": 140}),
    ],
)
def test_resample_options(table, tmp_path, capsys, options, counts):
    path, _ = table
    out = tmp_path / "out.csv.gz"
    code, _, err = run(["resample", path, "--target", "label", "-o", out, *options], capsys)
    assert code == 0, err
    if counts is not None:
        assert pd.read_csv(out)["label"].value_counts().to_dict() == counts


def test_resample_smotenc_when_available(tmp_path, capsys):
    if not hasattr(smotekit, "SMOTENC"):
        pytest.skip("SMOTENC is not in this build of smotekit")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "x": rng.normal(size=120),
            "colour": rng.choice(["red", "blue"], 120),
            "y": [1] * 20 + [0] * 100,
        }
    )
    frame.to_csv(tmp_path / "mixed.csv", index=False)
    args = ["resample", tmp_path / "mixed.csv", "--target", "y", "-o", tmp_path / "o.csv"]
    assert_user_error(run(args, capsys), "non-numeric column", "--method smotenc")
    code, _, err = run([*args, "--method", "smotenc"], capsys)
    assert code == 0, err
    assert set(pd.read_csv(tmp_path / "o.csv")["colour"]) <= {"red", "blue"}


def test_sigterm_while_writing_leaves_no_partial_file(table, tmp_path, capsys, monkeypatch):
    import signal

    path, _ = table
    out = tmp_path / "out.csv"
    out.write_text("previous content")
    real = pd.DataFrame.to_csv

    def write_then_get_killed(frame, target, *args, **kwargs):
        real(frame.iloc[:5], target, *args, **kwargs)  # half a file on disk...
        os.kill(os.getpid(), signal.SIGTERM)  # ...when the signal arrives

    monkeypatch.setattr(pd.DataFrame, "to_csv", write_then_get_killed)
    before = signal.getsignal(signal.SIGTERM)
    code, _, err = run(["resample", path, "--target", "label", "-o", out], capsys)
    assert code == 143 and "terminated" in err
    assert out.read_text() == "previous content"  # the target is untouched
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file
    assert signal.getsignal(signal.SIGTERM) is before


def test_resample_refuses_to_overwrite_its_input(table, tmp_path, capsys):
    path, _ = table
    before = path.read_bytes()
    for out in (path, tmp_path / "sub" / ".." / "in.csv"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        result = run(["resample", path, "--target", "label", "-o", out], capsys)
        assert_user_error(result, "refusing to overwrite the input")
    link = tmp_path / "hard.csv"
    os.link(path, link)
    assert_user_error(run(["resample", path, "--target", "label", "-o", link], capsys), "refusing")
    assert path.read_bytes() == before


def test_failed_resample_leaves_existing_output_untouched(table, tmp_path, capsys):
    path, _ = table
    out = tmp_path / "out.csv"
    out.write_text("keep me")
    result = run(["resample", path, "--target", "label", "-o", out, "--k", "50"], capsys)
    assert_user_error(result, "smote:", "too few for --k 50")
    assert out.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--target", "nope"], ["no column 'nope'", "its columns are: height, label"]),
        (["--target", "label", "--method", "magic"], ["unknown method 'magic'", "smote"]),
        (["--target", "label", "--method", "random", "--k", "3"], ["--k does not apply"]),
        (["--target", "label", "--m", "3"], ["--m applies to", "svmsmote"]),
        (["--target", "label", "--categorical", "flag"], ["--categorical applies to smotenc"]),
        (["--target", "label", "--strategy", "lots"], ["--strategy 'lots' is not understood"]),
        (["--target", "label", "--strategy", "gone:5"], ["names the class 'gone'", "rare"]),
        (["--target", "label", "--strategy", "rare:x"], ["'x' is not a whole number"]),
        (["--target", "label", "--strategy", "rare:5"], ["smote:"]),  # fewer than it has
        (["--target", "label", "--k", "two"], ["invalid int value: 'two'", "--help"]),
        ([], ["the following arguments are required: --target"]),
    ],
)
def test_resample_bad_options(table, tmp_path, capsys, args, fragments):
    path, _ = table
    result = run(["resample", path, "-o", tmp_path / "o.csv", *args], capsys)
    assert_user_error(result, *fragments)
    assert not (tmp_path / "o.csv").exists()


class _KeepFirstRows:
    """A stand-in for a sampler that lands later: no random_state, no neighbours."""

    def __init__(self, sampling_strategy="auto"):
        self.sampling_strategy = sampling_strategy

    def fit_resample(self, X, y):
        return X.iloc[:100], y.iloc[:100]


def test_methods_are_every_discovered_sampler(table, tmp_path, capsys, monkeypatch):
    from smotekit._cli import _methods
    from smotekit.utils import all_samplers

    found = all_samplers()
    names = set(_methods.methods()) | set(_methods.aliases())
    assert {name.lower() for name, _ in found} <= names
    assert {"smote", "borderline1", "borderline2", "adasyn", "random", "ros"} <= names
    monkeypatch.setattr(
        _methods, "all_samplers", lambda: sorted([*found, ("KeepFirstRows", _KeepFirstRows)])
    )
    path, _ = table
    args = ["resample", path, "--target", "label", "-o", tmp_path / "o.csv"]
    code, _, err = run([*args, "--method", "KeepFirstRows"], capsys)
    assert code == 0, err
    assert len(pd.read_csv(tmp_path / "o.csv")) == 100
    assert_user_error(
        run([*args, "--method", "keepfirstrows", "--k", "3"], capsys),
        "--k does not apply to --method keepfirstrows (it has no neighbours)",
    )
    assert_user_error(run([*args, "--method", "magic"], capsys), "keepfirstrows", "smote")


def test_resample_bad_files(tmp_path, capsys, monkeypatch):
    target = ["--target", "y", "-o", tmp_path / "o.csv"]
    assert_user_error(run(["resample", tmp_path / "none.csv", *target], capsys), "does not exist")
    (tmp_path / "data.txt").write_text("a,y\n1,0\n")
    assert_user_error(run(["resample", tmp_path / "data.txt", *target], capsys), "format")
    (tmp_path / "empty.csv").write_text("")
    assert_user_error(run(["resample", tmp_path / "empty.csv", *target], capsys), "is empty")
    (tmp_path / "only.csv").write_text("y\n1\n0\n")
    assert_user_error(run(["resample", tmp_path / "only.csv", *target], capsys), "no feature")
    (tmp_path / "dir.csv").mkdir()
    assert_user_error(run(["resample", tmp_path / "dir.csv", *target], capsys), "is a folder")
    (tmp_path / "bad.parquet").write_bytes(b"not parquet")
    assert_user_error(run(["resample", tmp_path / "bad.parquet", *target], capsys), "cannot read")
    (tmp_path / "ok.csv").write_text("a,y\n1,0\n2,0\n3,1\n")
    out_missing = ["--target", "y", "-o", tmp_path / "no" / "o.csv", "--method", "random"]
    assert_user_error(run(["resample", tmp_path / "ok.csv", *out_missing], capsys), "folder")

    def no_pyarrow(*args, **kwargs):
        raise ImportError("Unable to find a usable engine")

    monkeypatch.setattr(pd, "read_parquet", no_pyarrow)
    assert_user_error(
        run(["resample", tmp_path / "bad.parquet", *target], capsys),
        "pip install smotekit[parquet]",
    )


def test_system_failures_exit_with_1(table, tmp_path, capsys, monkeypatch):
    path, _ = table
    out = tmp_path / "out.csv"

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", disk_full)
    code, _, err = run(["resample", path, "--target", "label", "-o", out], capsys)
    assert code == 1
    assert err == "smotekit: error: [Errno 28] No space left on device\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]  # no temporary file left


def test_resample_reports_sampler_warnings(tmp_path, capsys):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": np.r_[rng.normal(0, 1, 100), rng.normal(50, 1, 10)]})
    frame["y"] = [0] * 100 + [1] * 10
    frame.to_csv(tmp_path / "apart.csv", index=False)
    code, _, err = run(
        [
            "resample",
            tmp_path / "apart.csv",
            "--target",
            "y",
            "-o",
            tmp_path / "o.csv",
            "--method",
            "borderline1",
        ],
        capsys,
    )
    assert code == 0
    assert err.strip().startswith("smotekit: warning: BorderlineSMOTE: class 1 has no DANGER")


def test_progress_bar_only_when_asked(table, tmp_path, capsys):
    pytest.importorskip("tqdm")
    path, _ = table
    args = ["resample", path, "--target", "label", "-o", tmp_path / "o.csv"]
    _, _, quiet = run(args, capsys)
    assert quiet == ""  # stderr is not a terminal here
    _, _, shown = run([*args, "--progress"], capsys)
    assert "resample" in shown


# ------------------------------------------------------------------------------ compare


def test_compare_file_with_report_and_output(table, tmp_path, capsys):
    path, _ = table
    table_numeric = tmp_path / "num.csv"
    pd.read_csv(path).assign(flag=lambda d: d["flag"].astype(int)).to_csv(
        table_numeric, index=False
    )
    code, out, err = run(
        [
            "compare",
            table_numeric,
            "--target",
            "label",
            "--methods",
            "smote,random",
            "--cv",
            "2x1",
            "--metrics",
            "roc_auc,g_mean",
            "--estimator",
            "logistic_regression",
            "--report",
            tmp_path / "rep",
            "--output",
            tmp_path / "res.csv",
        ],
        capsys,
    )
    assert code == 0, err
    assert "roc_auc [95% CI]" in out and "g_mean [95% CI]" in out
    assert "random" in out
    results = pd.read_csv(tmp_path / "res.csv")
    assert set(results["dataset"]) == {"num"} and set(results["metric"]) == {"roc_auc", "g_mean"}
    assert (tmp_path / "rep" / "report.html").exists() and (tmp_path / "rep" / "report.md").exists()


def test_compare_bundled_dataset_with_k_sweep(capsys):
    code, out, err = run(
        [
            "compare",
            "--dataset",
            "ecoli",
            "--methods",
            "smote",
            "--k",
            "3,5",
            "--cv",
            "2",
            "--metrics",
            "roc_auc",
            "--scale",
            "none",
        ],
        capsys,
    )
    assert code == 0, err
    assert "smote(k=3)" in out and "smote(k=5)" in out and "ecoli" in out


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--dataset", "ecoli", "IN"], ["either an input file"]),
        ([], ["either an input file"]),
        (["IN"], ["--target COL is required"]),
        (["--dataset", "ecoli", "--cv", "3y"], ["not of the form 'KxR'"]),
        (["--dataset", "ecoli", "--metrics", "accuracy"], ["Unknown metric(s) ['accuracy']"]),
        (["--dataset", "nope"], ["Unknown benchmark dataset 'nope'"]),
        (["--dataset", "ecoli", "--k", "0"], ["--k takes whole numbers >= 1"]),
        (["--dataset", "ecoli", "--k", "a"], ["--k takes whole numbers"]),
        (["--dataset", "ecoli", "--methods", "random", "--k", "2,3"], ["--k does not apply"]),
        (["--dataset", "ecoli", "--methods", "adasyn", "--k", "40"], ["ecoli:", "--k 40"]),
        (["--dataset", "ecoli", "--estimator", "svm"], ["--estimator 'svm' is not a known name"]),
        (["IN", "--target", "label", "--output", "IN"], ["refusing to overwrite the input"]),
    ],
)
def test_compare_bad_options(table, capsys, args, fragments):
    path, _ = table
    args = [str(path) if a == "IN" else a for a in args]
    assert_user_error(run(["compare", *args], capsys), *fragments)


def test_compare_takes_mixed_tables(table, tmp_path, capsys):
    path, frame = table
    colours = ["red", "blue"] * (len(frame) // 2) + ["red"] * (len(frame) % 2)
    frame.assign(colour=colours).to_csv(tmp_path / "mixed.csv", index=False)
    code, out, _ = run(
        [
            "compare",
            tmp_path / "mixed.csv",
            "--target",
            "label",
            "--cv",
            "2x1",
            "--metrics",
            "roc_auc",
            "--n-jobs",
            "1",
        ],
        capsys,
    )
    assert code == 0 and "smotenc" in out and "note: mixed: The estimator was fitted on" in out


# ----------------------------------------------------------------------------- datasets


def test_datasets_list(capsys, tmp_path):
    code, out, _ = run(["datasets", "--data-home", tmp_path], capsys)
    assert code == 0
    assert "thyroid_sick" in out and "protein_homo" in out and f"cache: {tmp_path}" in out
    code2, out2, _ = run(["datasets", "list", "--data-home", tmp_path], capsys)
    assert code2 == 0 and out2 == out


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="needs the shared data folder as a mirror")
def test_datasets_fetch_from_a_mirror(capsys, tmp_path):
    code, out, err = run(
        ["datasets", "fetch", "yeast_me2", "--data-home", tmp_path, "--mirror", SHARED_DATA],
        capsys,
    )
    assert code == 0, err
    assert "yeast_me2: 1484 x 8, 51 minority" in out
    assert (tmp_path / "yeast_me2.npz").exists()
    _, listing, _ = run(["datasets", "list", "--data-home", tmp_path], capsys)
    assert any(
        "yeast_me2" in line and line.rstrip().endswith("yes") for line in listing.splitlines()
    )


def test_datasets_bad_usage(capsys, tmp_path):
    assert_user_error(run(["datasets", "fetch"], capsys), "needs dataset names")
    assert_user_error(run(["datasets", "list", "ecoli"], capsys), "takes no names")
    assert_user_error(
        run(["datasets", "fetch", "nope", "--data-home", tmp_path], capsys),
        "Unknown benchmark dataset 'nope'",
    )
    assert_user_error(run(["datasets", "get"], capsys), "invalid choice: 'get'")


# ------------------------------------------------------------------------- misc and demo


def test_no_command_help_and_version(capsys):
    code, _, err = run([], capsys)
    assert code == 2 and "usage: smotekit" in err
    code, out, _ = run(["--version"], capsys)
    assert code == 0 and smotekit.__version__ in out
    code, out, _ = run(["resample", "--help"], capsys)
    assert code == 0 and "--strategy" in out
    assert_user_error(run(["frobnicate"], capsys), "invalid choice: 'frobnicate'")


def test_demo_prints_the_table_and_writes_the_report(tmp_path, capsys):
    code, out, err = run(["demo", "--report", tmp_path / "rep", "--cv", "2x1"], capsys)
    assert code == 0, err
    assert "Reference experiment (tutorial protocol): test ROC-AUC" in out
    for name in ("ecoli", "thyroid_sick", "arrhythmia", "borderline1", "difference vs none"):
        assert name in out
    html = (tmp_path / "rep" / "report.html").read_text()
    assert "Reference experiment" in html and html.count("data:image/png;base64,") >= 5


def test_real_subprocess(table, tmp_path):
    path, _ = table
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    out = tmp_path / "sub.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "smotekit",
            "resample",
            str(path),
            "--target",
            "label",
            "-o",
            str(out),
            "--method",
            "adasyn",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(pd.read_csv(out)) == 280
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "smotekit",
            "resample",
            str(path),
            "--target",
            "nope",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("smotekit: error: no column 'nope'")
    assert "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


# ------------------------------------------------------------- broken inputs and signals


@pytest.mark.parametrize("suffix", [".csv.gz", ".csv.bz2", ".csv.xz"])
def test_truncated_compressed_input_is_a_user_error(table, tmp_path, capsys, suffix):
    _, frame = table
    whole = tmp_path / f"whole{suffix}"
    frame.to_csv(whole, index=False)
    cut = tmp_path / f"cut{suffix}"
    cut.write_bytes(whole.read_bytes()[:60])
    args = ["--target", "label", "-o", tmp_path / "o.csv"]
    assert_user_error(run(["resample", cut, *args], capsys), "cannot read", "truncated or corrupt")
    garbage = tmp_path / f"garbage{suffix}"
    garbage.write_bytes(b"\x1f\x8b" + bytes(range(256)) * 4)
    assert_user_error(run(["resample", garbage, *args], capsys), "cannot read")
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlink_loops_as_input_or_output_are_user_errors(table, tmp_path, capsys):
    path, _ = table
    loop = tmp_path / "loop.csv"
    try:
        loop.symlink_to(loop)
    except OSError:
        pytest.skip("cannot create symbolic links here")
    result = run(["resample", loop, "--target", "label", "-o", tmp_path / "o.csv"], capsys)
    assert_user_error(result, "input path", "symbolic-link loop")
    result = run(["resample", path, "--target", "label", "-o", loop], capsys)
    assert_user_error(result, "output path", "symbolic-link loop")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "loop.csv"]


def test_header_only_csv_and_missing_compression_module(table, tmp_path, capsys, monkeypatch):
    target = ["--target", "y", "-o", tmp_path / "o.csv"]
    (tmp_path / "header.csv").write_text("a,b,y\n")
    assert_user_error(run(["resample", tmp_path / "header.csv", *target], capsys), "no rows")
    _, frame = table
    frame.to_csv(tmp_path / "in.csv.bz2", index=False)
    frame.to_csv(tmp_path / "in.csv.xz", index=False)
    monkeypatch.setitem(sys.modules, "bz2", None)  # as in a Python built without libbz2
    monkeypatch.setitem(sys.modules, "lzma", None)
    for name, module in (("in.csv.bz2", "bz2 module"), ("in.csv.xz", "lzma module")):
        result = run(["resample", tmp_path / name, "--target", "label", *target[2:]], capsys)
        assert_user_error(result, module)
        assert "pyarrow" not in result[2]
    result = run(
        ["resample", tmp_path / "in.csv", "--target", "label", "-o", tmp_path / "o.csv.bz2"], capsys
    )
    assert_user_error(result, "bz2 module")


def test_ctrl_c_while_importing_exits_quietly_with_130(tmp_path, monkeypatch, capsys):
    script = (
        "import builtins, runpy, sys\n"
        "real = builtins.__import__\n"
        "def interrupted(name, *args, **kwargs):\n"
        "    if name.endswith('_cli._compare'):\n"
        "        raise KeyboardInterrupt\n"
        "    return real(name, *args, **kwargs)\n"
        "import smotekit\n"
        "builtins.__import__ = interrupted\n"
        "sys.argv = ['smotekit', 'datasets']\n"
        "runpy.run_module('smotekit', run_name='__main__', alter_sys=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 130, done.stderr
    assert done.stderr == ""
    # The entry point (smotekit.cli:main) too.
    import builtins

    real = builtins.__import__

    def interrupted(name, *args, **kwargs):
        if name.endswith("_cli._resample"):
            raise KeyboardInterrupt
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", interrupted)
    assert main(["datasets"]) == 130
    monkeypatch.undo()
    assert capsys.readouterr().err == ""


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGHUP"), reason="no SIGHUP here")
def test_sighup_while_writing_exits_129_and_leaves_no_partial_file(
    table, tmp_path, capsys, monkeypatch
):
    import signal

    path, _ = table
    out = tmp_path / "out.csv"
    out.write_text("previous content")
    real = pd.DataFrame.to_csv

    def write_then_hang_up(frame, target, *args, **kwargs):
        real(frame.iloc[:5], target, *args, **kwargs)
        os.kill(os.getpid(), signal.SIGHUP)

    monkeypatch.setattr(pd.DataFrame, "to_csv", write_then_hang_up)
    # Without the command's own handler, the hang-up is only recorded (not fatal to pytest).
    received = []
    previous = signal.signal(signal.SIGHUP, lambda signum, frame: received.append(signum))
    try:
        before = signal.getsignal(signal.SIGHUP)
        code, _, err = run(["resample", path, "--target", "label", "-o", out], capsys)
        assert signal.getsignal(signal.SIGHUP) is before
    finally:
        signal.signal(signal.SIGHUP, previous)
    assert not received
    assert code == 129 and "terminated (SIGHUP)" in err
    assert out.read_text() == "previous content"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_csv_zip_member_is_named_after_the_output(table, tmp_path, capsys):
    import zipfile

    path, frame = table
    out = tmp_path / "out.csv.zip"
    code, _, err = run(["resample", path, "--target", "label", "-o", out], capsys)
    assert code == 0, err
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == ["out.csv"]
    assert len(pd.read_csv(out)) > len(frame)


def test_duplicate_csv_headers_are_refused(tmp_path, capsys):
    out = ["--target", "y", "-o", tmp_path / "o.csv", "--method", "random"]
    (tmp_path / "dup.csv").write_text("a,b,a,b,y\n1,2,3,4,0\n5,6,7,8,1\n9,9,9,9,0\n")
    assert_user_error(run(["resample", tmp_path / "dup.csv", *out], capsys), "'a', 'b'")
    assert not (tmp_path / "o.csv").exists()
    (tmp_path / "fine.csv").write_text("a,a.1,y\n1,2,0\n3,4,1\n5,6,0\n")  # distinct names
    code, _, err = run(["resample", tmp_path / "fine.csv", *out], capsys)
    assert code == 0, err
    assert list(pd.read_csv(tmp_path / "o.csv").columns) == ["a", "a.1", "y"]


def test_datasets_timeout_option(tmp_path, capsys):
    with socket.socket() as listener:  # accepts connections but never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        home = ["--data-home", tmp_path / "c", "--mirror", url]
        result = run(["datasets", "fetch", "yeast_me2", *home, "--timeout", "0.2"], capsys)
        assert result[0] == 1 and "timed out" in result[2], result[2]
        result = run(["compare", "--dataset", "yeast_me2", *home, "--timeout", "0.2"], capsys)
        assert result[0] == 1 and "timed out" in result[2], result[2]
    assert_user_error(run(["datasets", "fetch", "ecoli", "--timeout", "0"], capsys), "positive")
    assert_user_error(run(["datasets", "fetch", "ecoli", "--timeout", "x"], capsys), "positive")
