"""The implementation of the ``smotekit`` command (:mod:`smotekit.cli` parses and dispatches).

One module per job: ``_errors`` (user errors and messages on stderr), ``_tables`` (reading
and writing CSV/Parquet tables, atomically), ``_methods`` (method names to samplers),
``_options`` (option values to objects), ``_progress`` (progress bars), and one module per
subcommand (``_resample``, ``_compare``, ``_datasets``, ``_demo``, ``_list_methods``);
``resample --engine dask`` runs in ``_dask_resample`` with its files in ``_dask_io``.
"""
