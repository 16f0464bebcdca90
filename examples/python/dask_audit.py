"""tactful over a Dask DataFrame with `map_partitions` — and a check against `assess_frame`.

    python examples/python/dask_audit.py [--limit N]     # a LocalCluster of 2 worker processes

Each partition is a pandas DataFrame; `tactful.assess_frame` assesses it in Rust with the
GIL released, so one worker process per machine with a thread per core (or one process per
core) keeps every core busy.

On a real cluster only the scheduler address changes — `Client("tcp://scheduler:8786")` —
and the workers need `tactful` installed (in the image, or
`client.register_plugin(PipInstall(packages=["tactful"]))` from `distributed.diagnostics.plugin`).
Each worker process builds the default engine once and reuses it; a custom `tactful.Engine`
can be passed to `map_partitions(..., engine=engine)` (it pickles to its playbook).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

import tactful

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _sample import load_messages  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--partitions", type=int, default=4)
    args = parser.parse_args()

    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster

    local = load_messages(args.limit).set_index("id")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster):
        ddf = dd.from_pandas(local, npartitions=args.partitions)
        meta = tactful.assess_frame(local.head(0))  # the output schema, from zero rows
        result = ddf.map_partitions(tactful.assess_frame, "text", meta=meta)

        # What an analyst would do next, on the cluster:
        share = (result["approach"] == "resolve_first").mean().compute()
        print(f"resolve_first share: {share:.1%}")

        got = result.compute()
    check(local, got)
    print(f"dask: {len(got)} rows assessed with map_partitions, identical to assess_frame")


def check(local: pd.DataFrame, got: pd.DataFrame) -> None:
    """The distributed result must equal `assess_frame` on the same rows."""
    want = tactful.assess_frame(local)
    got = got.loc[want.index]
    for name in tactful.COLUMNS:
        a = want[name].astype(object).where(want[name].notna(), None).tolist()
        b = got[name].astype(object).where(got[name].notna(), None).tolist()
        if name == "flags":
            a = [list(x) if x is not None else None for x in a]
            b = [list(x) if x is not None else None for x in b]
        assert a == b, f"column {name} differs from assess_frame"


if __name__ == "__main__":
    main()
