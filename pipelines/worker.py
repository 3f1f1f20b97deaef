"""The SDK worker process of the DirectRunner's multi_processing mode: Beam's own worker, with its
console output held to the level the run asked for (`default_sdk_harness_log_level`; winnow asks
for ERROR unless --verbose). Beam's worker logs INFO and import-time notices before it reads that
option, which flooded the console with one block per worker process."""

from __future__ import annotations

import json
import logging
import os
import sys


def console_level() -> int:
    options = json.loads(os.environ.get("PIPELINE_OPTIONS") or "{}")
    # the runner sends options as "beam:option:NAME:v1" keys
    named = {key.removeprefix("beam:option:").removesuffix(":v1"): value for key, value in options.items()}
    level = str(named.get("default_sdk_harness_log_level") or "INFO").upper()
    return getattr(logging, level, logging.INFO)


def main() -> None:
    console = logging.StreamHandler()
    console.setLevel(console_level())
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(console)

    from apache_beam.runners.worker import sdk_worker_main

    sdk_worker_main.main(sys.argv)


if __name__ == "__main__":
    main()
