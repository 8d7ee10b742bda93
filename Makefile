# The two commands the README opens with: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench bench-family bench-dask lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m smotekit demo

test: $(STAMP)
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m pytest -n 2 -q

bench: $(STAMP) bench-family
	$(PY) benchmarks/run_benchmarks.py
	$(PY) benchmarks/bench_categorical.py

# SMOTE + cleaning, SVM/k-means SMOTE and the under-samplers at 100k x 20 (both libraries),
# then SMOTEENN alone at 1M x 20 (imbalanced-learn's would take hours).
bench-family: $(STAMP)
	$(PY) benchmarks/run_benchmarks.py --n 100000 --d 20 --samplers family --timeout 1800
	$(PY) benchmarks/run_benchmarks.py --n 1000000 --d 20 --samplers smoteenn --libs smotekit --timeout 7200

# smotekit.dask from Parquet to Parquet on a 2-worker LocalCluster: SMOTE at 20M rows x 20,
# BorderlineSMOTE at 5M, the Dask path against the in-memory one at 1M (tens of minutes).
bench-dask: $(STAMP)
	$(PY) benchmarks/bench_dask.py

lint: $(STAMP)
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m ruff format --check src tests benchmarks

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
