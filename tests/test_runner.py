from apache_beam.options.pipeline_options import DirectOptions, StandardOptions

from pipelines.runner import MULTI_PROCESSING_FROM_BYTES, describe, pipeline_options


def direct(options):
    view = options.view_as(DirectOptions)
    return view.direct_running_mode, view.direct_num_workers


def test_small_inputs_run_in_memory_with_one_worker():
    options = pipeline_options([], input_bytes=60_000_000)
    assert options.view_as(StandardOptions).runner == "DirectRunner"
    assert direct(options) == ("in_memory", 1)


def test_large_inputs_use_a_process_per_core(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert direct(pipeline_options([], input_bytes=MULTI_PROCESSING_FROM_BYTES)) == ("multi_processing", 2)


def test_beam_options_given_by_the_user_win():
    options = pipeline_options(["--direct_running_mode=multi_threading", "--direct_num_workers=3"], input_bytes=1)
    assert direct(options) == ("multi_threading", 3)
    described = describe(options)
    assert described["name"] == "DirectRunner"
    assert (described["options"]["direct_running_mode"], described["options"]["direct_num_workers"]) == ("multi_threading", 3)


def test_other_runners_pass_through_untouched():
    options = pipeline_options(["--runner", "PortableRunner", "--job_endpoint", "localhost:1"], input_bytes=10**12)
    assert options.view_as(StandardOptions).runner == "PortableRunner"
    assert options.get_all_options()["job_endpoint"] == "localhost:1"
