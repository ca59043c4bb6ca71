"""Task runners: threads on this machine by default, a Dask cluster for scale-out."""

from __future__ import annotations

from typing import Any

from prefect.task_runners import ThreadPoolTaskRunner


def task_runner(workers: int, dask_address: str | None = None) -> Any:
    """Threads (documents in parallel up to ``workers``), or prefect-dask's runner on a cluster.

    ``dask_address`` "local" starts a LocalCluster of ``workers`` processes; any other value is the
    scheduler address of a running cluster (tcp://host:8786)."""
    if dask_address is None:
        return ThreadPoolTaskRunner(max_workers=workers)
    from prefect_dask.task_runners import DaskTaskRunner

    if dask_address == "local":
        import dask

        # Extraction runs in a child process it can kill on a time limit (ccpipe.extract.limits), and daemonic
        # processes may not have children: Dask's worker processes must not be daemons. (Workers of a remote
        # cluster need the same: DASK_DISTRIBUTED__WORKER__DAEMON=False, see the README.)
        dask.config.set({"distributed.worker.daemon": False})
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True})
    return DaskTaskRunner(address=dask_address)
