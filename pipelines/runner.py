"""Beam options in, a pipeline out: every standard Beam option passes straight through.

The DirectRunner of Beam 2.77 first tries the Prism runner, which downloads a Go binary at run time;
winnow never downloads at run time, so for the DirectRunner it drives the same FnApiRunner that
DirectRunner falls back to, honouring --direct_running_mode and --direct_num_workers.
"""

from __future__ import annotations

import os

import apache_beam as beam
from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, SetupOptions, StandardOptions

DIRECT_NAMES = {"DirectRunner", "direct", "FnApiRunner"}
# `make bench` on the 2-core build machine: in_memory is 1.17x faster than multi_processing at 100k
# records (60 MB, rules+exact) and multi_processing 1.27x faster at 1M (606 MB), so the DirectRunner's mode
# follows the input size unless the user names one. See README "Runner modes".
MULTI_PROCESSING_FROM_BYTES = 128 << 20


def default_running_mode(input_bytes: int) -> str:
    return "multi_processing" if input_bytes >= MULTI_PROCESSING_FROM_BYTES else "in_memory"


def pipeline_options(beam_args: list[str], input_bytes: int = 0) -> PipelineOptions:
    options = PipelineOptions(beam_args)
    standard = options.view_as(StandardOptions)
    if standard.runner is None:
        standard.runner = "DirectRunner"
    if is_direct(options):
        direct = options.view_as(DirectOptions)
        given = " ".join(beam_args)
        if "direct_running_mode" not in given:
            direct.direct_running_mode = default_running_mode(input_bytes)
        if "direct_num_workers" not in given:
            direct.direct_num_workers = 1 if direct.direct_running_mode == "in_memory" else (os.cpu_count() or 1)
    options.view_as(SetupOptions).save_main_session = False
    return options


def is_direct(options: PipelineOptions) -> bool:
    return options.view_as(StandardOptions).runner in DIRECT_NAMES


def make_pipeline(options: PipelineOptions) -> beam.Pipeline:
    if is_direct(options):
        from apache_beam.portability.api import beam_provision_api_pb2
        from apache_beam.runners.portability.fn_api_runner import fn_runner
        from apache_beam.runners.portability.portable_runner import JobServiceHandle

        encoded = JobServiceHandle.encode_pipeline_options(options.get_all_options())
        provision = fn_runner.ExtendedProvisionInfo(beam_provision_api_pb2.ProvisionInfo(pipeline_options=encoded))
        return beam.Pipeline(runner=fn_runner.FnApiRunner(provision_info=provision), options=options)
    return beam.Pipeline(options=options)


def describe(options: PipelineOptions) -> dict:
    """Runner name and the options that differ from Beam's defaults, for the manifest."""
    given = options.get_all_options(drop_default=True, retain_unknown_options=True)
    if is_direct(options):
        direct = options.view_as(DirectOptions)
        given |= {"direct_running_mode": direct.direct_running_mode, "direct_num_workers": direct.direct_num_workers}
    return {"name": options.view_as(StandardOptions).runner, "options": {k: given[k] for k in sorted(given)}}
