"""Beam options in, a pipeline out: every standard Beam option passes straight through.

The DirectRunner of Beam 2.77 first tries the Prism runner, which downloads a Go binary at run time;
winnow never downloads at run time, so for the DirectRunner it drives the same FnApiRunner that
DirectRunner falls back to, honouring --direct_running_mode and --direct_num_workers.
"""

from __future__ import annotations

import contextlib
import os
import sys

import apache_beam as beam
from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, SetupOptions, StandardOptions, WorkerOptions

DIRECT_NAMES = {"DirectRunner", "direct", "FnApiRunner"}
# `make bench` on the 2-core build machine: at 100k records (60 MB) both modes take ~11 s for a default
# run, in_memory at less than half the memory; at 1M (607 MB) multi_processing is 1.6x faster, so the
# DirectRunner's mode follows the input size unless the user names one. See README "Measurements".
MULTI_PROCESSING_FROM_BYTES = 128 << 20


def default_running_mode(input_bytes: int) -> str:
    return "multi_processing" if input_bytes >= MULTI_PROCESSING_FROM_BYTES else "in_memory"


def pipeline_options(beam_args: list[str], input_bytes: int = 0, verbose: bool = False) -> PipelineOptions:
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
        if "default_sdk_harness_log_level" not in given and not verbose:
            # SDK worker processes log INFO by default; the console shows only errors unless --verbose
            options.view_as(WorkerOptions).default_sdk_harness_log_level = "ERROR"
    options.view_as(SetupOptions).save_main_session = False
    return options


def is_direct(options: PipelineOptions) -> bool:
    return options.view_as(StandardOptions).runner in DIRECT_NAMES


BEAM_VERSION_PATCHED = "2.77.0"
beam_send_input_to_worker = None  # Beam's own method, once patched (tests show the race with it)


def _send_input_holding_flush_lock(self, process_bundle_id, read_transform_id, byte_streams) -> None:
    """BundleManager._send_input_to_worker of Beam 2.77, holding the stream's flush lock around each write.

    With several worker processes the runner's data streams flush on a timer thread, which hands the
    buffer to gRPC and then clears it; a write landing between the two is erased, so whole elements
    vanish between stages (../shared/notes/beam-multiprocessing-loss.md). Holding the lock that the
    flush takes makes each write land wholly before or after a flush.
    """
    data_out = self._worker_handler.data_conn.output_stream(process_bundle_id, read_transform_id)
    lock = getattr(data_out, "_flush_lock", None) or contextlib.nullcontext()
    for byte_stream in byte_streams or []:
        with lock:
            data_out.write(byte_stream)
    data_out.close()


def patch_data_plane_race() -> None:
    """Apply the fix above to the FnApiRunner; checked against (and only applied to) the pinned Beam."""
    from apache_beam.runners.portability.fn_api_runner import fn_runner

    if beam.__version__ != BEAM_VERSION_PATCHED:
        raise RuntimeError(f"winnow patches Beam {BEAM_VERSION_PATCHED}'s FnApiRunner data plane; found {beam.__version__}: "
                           "check that the race is fixed upstream (tests/test_runner.py) and update the patch")
    global beam_send_input_to_worker
    if fn_runner.BundleManager._send_input_to_worker is not _send_input_holding_flush_lock:
        beam_send_input_to_worker = fn_runner.BundleManager._send_input_to_worker
    fn_runner.BundleManager._send_input_to_worker = _send_input_holding_flush_lock


def _direct_runner(provision):
    from apache_beam.portability import python_urns
    from apache_beam.runners.portability.fn_api_runner import fn_runner

    class DirectRunner(fn_runner.FnApiRunner):
        """The FnApiRunner, whose worker processes (multi_processing) start through pipelines.worker."""

        def run_via_runner_api(self, pipeline_proto, options):
            for environment in pipeline_proto.components.environments.values():
                if environment.urn == python_urns.SUBPROCESS_SDK:
                    environment.payload = f"{sys.executable} -m pipelines.worker".encode()
            return super().run_via_runner_api(pipeline_proto, options)

    return DirectRunner(provision_info=provision)


def make_pipeline(options: PipelineOptions) -> beam.Pipeline:
    if is_direct(options):
        patch_data_plane_race()
        from apache_beam.portability.api import beam_provision_api_pb2
        from apache_beam.runners.portability.fn_api_runner import fn_runner
        from apache_beam.runners.portability.portable_runner import JobServiceHandle

        encoded = JobServiceHandle.encode_pipeline_options(options.get_all_options())
        provision = fn_runner.ExtendedProvisionInfo(beam_provision_api_pb2.ProvisionInfo(pipeline_options=encoded))
        return beam.Pipeline(runner=_direct_runner(provision), options=options)
    return beam.Pipeline(options=options)


def describe(options: PipelineOptions) -> dict:
    """Runner name and the options that differ from Beam's defaults, for the manifest."""
    given = options.get_all_options(drop_default=True, retain_unknown_options=True)
    if is_direct(options):
        direct = options.view_as(DirectOptions)
        given |= {"direct_running_mode": direct.direct_running_mode, "direct_num_workers": direct.direct_num_workers}
    return {"name": options.view_as(StandardOptions).runner, "options": {k: given[k] for k in sorted(given)}}
