"""imbalanced-learn against smotekit with ``neighbors="torch"`` (exact k-NN on a GPU), side by side.

Self-contained: it makes its own ``make_classification`` data (``weights=[0.95]``), times
each sampler's ``fit_resample`` in both libraries in this one process (after one warm-up
on a small slice, which also starts CUDA and cuBLAS), prints a table with the ratios
``imblearn / smotekit`` and writes JSON to ``benchmarks/results/``.  smotekit is taken
from ``src/`` when it is not installed.

Usage (from the repository root)::

    python benchmarks/bench_gpu.py                              # n=1M, d=20 and 100, on cuda
    python benchmarks/bench_gpu.py --device cpu --n 20000       # smoke check without a GPU
    python benchmarks/bench_gpu.py --samplers smote --d 20 --with-exact

With ``--device cuda`` (the default) the script stops at once, with a message, when torch
sees no CUDA device.  Without imbalanced-learn it still times smotekit and says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
SAMPLERS = {"smote": "SMOTE", "borderline": "BorderlineSMOTE", "adasyn": "ADASYN"}
WARM_UP_ROWS = 20000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="rows (default 1,000,000)")
    parser.add_argument("--d", type=int, nargs="+", default=[20, 100], help="feature counts")
    parser.add_argument("--samplers", nargs="+", choices=list(SAMPLERS), default=list(SAMPLERS))
    parser.add_argument("--device", default="cuda", help="torch device: cuda (default) or cpu")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs each (median kept)")
    parser.add_argument("--seed", type=int, default=0, help="random_state of the data")
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    parser.add_argument(
        "--with-exact",
        action="store_true",
        help="also time neighbors='exact' (CPU)",
    )
    parser.add_argument("--skip-imblearn", action="store_true", help="time smotekit only")
    parser.add_argument("--out", type=Path, default=None, help="JSON path (default: results/)")
    return parser.parse_args(argv)


def import_smotekit() -> Any:
    try:
        import smotekit
    except ImportError:
        sys.path.insert(0, str(REPO_ROOT / "src"))
        import smotekit
    return smotekit


def environment(device: str) -> dict[str, Any]:
    """Versions and the device; exits with a message when CUDA is asked for and missing."""
    try:
        import torch
    except ImportError:
        sys.exit("bench_gpu: torch is not installed (pip install 'smotekit[gpu]').")
    import sklearn

    smotekit = import_smotekit()
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scikit-learn": sklearn.__version__,
        "smotekit": getattr(smotekit, "__version__", "?"),
        "torch": torch.__version__,
        "torch_cuda": torch.version.cuda,
        "device": device,
        "cpu": platform.processor() or platform.machine(),
    }
    if torch.device(device).type == "cuda":
        if not torch.cuda.is_available():
            sys.exit(
                f"bench_gpu: --device {device} asked for, but torch {torch.__version__} sees no "
                "CUDA device (a CPU build, or no driver). Use --device cpu for a smoke check."
            )
        properties = torch.cuda.get_device_properties(torch.device(device))
        info["device_name"] = properties.name
        info["device_memory_gib"] = round(properties.total_memory / 2**30, 1)
    else:
        info["device_name"] = "cpu"
    try:
        import imblearn

        info["imbalanced-learn"] = imblearn.__version__
    except ImportError:
        info["imbalanced-learn"] = None
    return info


def make_data(n: int, d: int, seed: int, dtype: str) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=n, n_features=d, weights=[0.95], random_state=seed)
    return X.astype(dtype), y


def sampler_factories(name: str, device: str, with_exact: bool, imblearn_ok: bool) -> dict:
    """``library -> () -> sampler`` for one sampler name."""
    import_smotekit()
    from smotekit import over_sampling as ours

    cls = getattr(ours, SAMPLERS[name])
    if device == "cuda":
        torch_neighbors: Any = "torch"  # what a user types: the registry's default device
    else:
        from smotekit.neighbors._torch import TorchNeighbors

        torch_neighbors = TorchNeighbors(device=device)
    factories: dict[str, Callable[[], Any]] = {}
    if imblearn_ok:
        from imblearn import over_sampling as theirs

        factories["imblearn"] = lambda: getattr(theirs, SAMPLERS[name])(random_state=0)
    factories["smotekit-torch"] = lambda: cls(random_state=0, neighbors=torch_neighbors)
    if with_exact:
        factories["smotekit-exact"] = lambda: cls(random_state=0, neighbors="exact")
    return factories


def timed(make: Callable[[], Any], X: np.ndarray, y: np.ndarray, repeat: int) -> dict:
    times, n_out = [], 0
    for _ in range(repeat):
        sampler = make()
        start = time.perf_counter()
        X_res, _ = sampler.fit_resample(X, y)
        times.append(time.perf_counter() - start)
        n_out = int(X_res.shape[0])
    return {"seconds": statistics.median(times), "all_seconds": times, "n_out": n_out}


def warm_up(factories: dict, X: np.ndarray, y: np.ndarray) -> None:
    """One run of every library on a small slice: imports, CUDA context, cuBLAS handles."""
    rows = min(WARM_UP_ROWS, max(1000, X.shape[0] // 10))
    for make in factories.values():
        make().fit_resample(X[:rows], y[:rows])


def print_table(rows: list[dict], libraries: list[str]) -> None:
    header = f"{'sampler':<11}{'d':>5}{'n':>10}" + "".join(f"{lib:>16}" for lib in libraries)
    if "imblearn" in libraries:
        header += "".join(f"{'x ' + lib:>20}" for lib in libraries if lib != "imblearn")
    print("\n" + header)
    print("-" * len(header))
    for row in rows:
        line = f"{row['sampler']:<11}{row['d']:>5}{row['n']:>10}"
        line += "".join(f"{row['results'][lib]['seconds']:>15.2f}s" for lib in libraries)
        if "imblearn" in libraries:
            base = row["results"]["imblearn"]["seconds"]
            line += "".join(
                f"{base / row['results'][lib]['seconds']:>19.1f}x"
                for lib in libraries
                if lib != "imblearn"
            )
        print(line)
    if "imblearn" in libraries:
        print("(x LIB: imblearn seconds / LIB seconds; above 1 means LIB is faster)")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    info = environment(args.device)
    for key, value in info.items():
        print(f"{key:>18}: {value}")
    imblearn_ok = info["imbalanced-learn"] is not None and not args.skip_imblearn
    if not imblearn_ok and not args.skip_imblearn:
        print("WARNING: imbalanced-learn is not installed: timing smotekit only.", flush=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = args.out or RESULTS_DIR / f"bench_gpu_{args.device.replace(':', '')}_{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"environment": info, "args": vars(args) | {"out": str(out)}}
    report["rows"] = rows = []
    libraries: list[str] = []
    for d in args.d:
        start = time.perf_counter()
        X, y = make_data(args.n, d, args.seed, args.dtype)
        print(
            f"\ndata n={args.n} d={d} minority={int((y == 1).sum())} "
            f"({time.perf_counter() - start:.1f}s to make)",
            flush=True,
        )
        for name in args.samplers:
            factories = sampler_factories(name, args.device, args.with_exact, imblearn_ok)
            libraries = list(factories)
            warm_up(factories, X, y)
            results = {}
            for lib, make in factories.items():
                results[lib] = timed(make, X, y, args.repeat)
                print(
                    f"  {name:<11} {lib:<15} {results[lib]['seconds']:8.2f}s "
                    f"-> {results[lib]['n_out']} rows",
                    flush=True,
                )
            counts = {r["n_out"] for r in results.values()}
            if len(counts) != 1:  # imblearn's ADASYN rounds per row (docs/benchmarks.md)
                print(f"  note: {name}: the libraries made different row counts {counts}")
            rows.append({"sampler": name, "d": d, "n": args.n, "results": results})
            out.write_text(json.dumps(report, indent=2))  # after every row: partial runs count
    print_table(rows, libraries)
    print(f"\nJSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
