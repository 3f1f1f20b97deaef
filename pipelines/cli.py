"""`winnow`: clean a corpus, print the default config, or write the bundled sample.

    winnow clean --input 'dumps/*.jsonl.gz' --output out/ [--config my.yaml] [--format web|alpaca|sharegpt]
                 [--stages normalize,lang,rules,exact] [--set rules.web.min_words=20] [--overwrite] [--resume]
                 [any Beam pipeline option, e.g. --runner DataflowRunner ... or --direct_num_workers=2]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from datetime import datetime, timezone

import yaml

from pipelines.config import DEFAULT_STAGES, STAGES, defaults_yaml, load_config, parse_stages


def _set_pair(text: str) -> tuple[str, object]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"--set takes key=value, got {text!r}")
    return key.strip(), yaml.safe_load(value)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="winnow", description="Clean and deduplicate LLM training data with Apache Beam.")
    commands = parser.add_subparsers(dest="command", required=True)

    clean = commands.add_parser(
        "clean", allow_abbrev=False,
        help="clean input files into OUT/data, OUT/rejects and OUT/manifest.json",
        epilog="Any other --option is passed to Apache Beam unchanged (runner, project, temp_location, ...).",
    )
    clean.add_argument("--input", action="append", required=True, metavar="PATTERN",
                       help="input files: a glob, a file, a folder or a saved `datasets` folder (repeatable)")
    clean.add_argument("--output", required=True, metavar="OUT", help="output folder (local or any Beam filesystem)")
    clean.add_argument("--config", metavar="YAML", help="config file overriding the defaults (winnow config --print-defaults)")
    clean.add_argument("--format", choices=["web", "alpaca", "sharegpt", "warc", "html"],
                       help="record format (default: from config, web); warc and html read crawled pages")
    clean.add_argument("--stages", help=f"comma list of stages to run, of {','.join(STAGES)} (default: {','.join(DEFAULT_STAGES)})")
    clean.add_argument("--set", action="append", type=_set_pair, default=[], metavar="KEY=VALUE",
                       help="override one config value, e.g. --set lang.allowed=[zh]")
    clean.add_argument("--overwrite", action="store_true", help="replace an existing winnow output in OUT")
    clean.add_argument("--resume", action="store_true",
                       help="continue an interrupted run of the same input and config: reuse its finished tasks")
    clean.add_argument("--attempts", type=int, metavar="N",
                       help="run the job up to N times, each reusing the tasks earlier attempts finished "
                            "(default 3 on the DirectRunner, which does not retry bundles itself; 1 elsewhere)")
    clean.add_argument("--verbose", action="store_true", help="log Beam's progress")
    clean.add_argument("--progress", type=float, default=None, metavar="SECONDS",
                       help="show progress every SECONDS (default: 2 on a terminal, 10 otherwise; 0 turns it off)")

    config = commands.add_parser("config", help="show the configuration")
    config.add_argument("--print-defaults", action="store_true", help="print every setting with its default and meaning")
    config.add_argument("--config", metavar="YAML", help="print this file resolved against the defaults")

    rejects = commands.add_parser("rejects", help="show what a run rejected, by stage and reason, with examples")
    rejects.add_argument("output", metavar="OUT", help="a winnow output folder")
    rejects.add_argument("--stage", action="append", help="only this stage (repeatable)")
    rejects.add_argument("--reason", action="append", help="only this reason (repeatable)")
    rejects.add_argument("--limit", type=int, default=3, help="examples per reason (default 3)")
    rejects.add_argument("--width", type=int, default=100, help="characters of each example (default 100)")

    sample = commands.add_parser("sample", help="write the bundled sample input (web and SFT, Chinese and English)")
    sample.add_argument("folder", help="folder to write web/ and sft/ sample files into")

    mix = commands.add_parser(
        "mix", allow_abbrev=False, help="draw a training mix from cleaned outputs by ratio of tokens or records",
        epilog="Any other --option is passed to Apache Beam unchanged (runner, direct_num_workers, ...).",
    )
    mix.add_argument("--source", action="append", required=True, metavar="NAME=OUT[:RATIO]",
                     help="a cleaned winnow output; RATIO is its share of the mix (0.10: 10%%); without one it takes "
                          "the rest (repeatable)")
    mix.add_argument("--output", required=True, metavar="MIX", help="output folder")
    mix.add_argument("--by", choices=["tokens", "records"],
                     help="what the ratios count (default: tokens when every source has a tokens column, else records)")
    mix.add_argument("--seed", type=int, default=0, help="sampling seed (default 0)")
    mix.add_argument("--total", type=int, metavar="N", help="size of the mix in tokens or records (default: the largest "
                     "the sources allow, taking the sources without a ratio whole when they can be)")
    mix.add_argument("--config", metavar="YAML", help="mix config: SFT text template, category field, output shards")
    mix.add_argument("--set", action="append", type=_set_pair, default=[], metavar="KEY=VALUE",
                     help="override one mix config value, e.g. --set 'template.roles={human: 用户, gpt: 助手}'")
    mix.add_argument("--overwrite", action="store_true", help="replace an existing winnow output in MIX")
    mix.add_argument("--verbose", action="store_true", help="log Beam's progress")

    report = commands.add_parser("report", help="an HTML report with figures of one output or a comparison of several")
    report.add_argument("outputs", nargs="+", metavar="OUT", help="winnow output folder(s)")
    report.add_argument("--output", default="report.html", metavar="HTML",
                        help="the HTML file; the figures are written as PNG beside it (default report.html)")
    report.add_argument("--max-rows", type=int, default=200_000, metavar="N",
                        help="figures that parse JSON per row (moderation scores) sample N rows per output by id hash")
    return parser


def _summary(manifest: dict, output: str, seconds: float) -> str:
    counts = manifest["counts"]
    lines = [
        f"winnow: {counts['records_read']} records read, {counts['kept']} kept, {counts['rejected']} rejected "
        f"in {seconds:.1f} s",
    ]
    for stage in manifest["stages"]:
        for reason, n in stage["rejected"].items():
            lines.append(f"  {stage['stage']:<8} {reason:<30} {n}")
    shards = manifest["shards"]
    lines.append(f"output: {output} ({len(shards['data'])} data shard(s), {len(shards['rejects'])} reject shard(s))")
    return "\n".join(lines)


def _plan(files, cfg, runner_desc: dict, output: str) -> str:
    options = runner_desc["options"]
    mode = f" ({options['direct_running_mode']}, {options['direct_num_workers']} worker(s))" if "direct_running_mode" in options else ""
    size = sum(f.size for f in files) / 1e6
    return (f"winnow: {len(files)} file(s), {size:.1f} MB, format {cfg.ingest.format.value}, stages "
            f"{','.join(cfg.stages) or '-'}, runner {runner_desc['name']}{mode} -> {output}")


class UsageError(Exception):
    """A problem with the command line, the config or the inputs, found before anything runs."""


def prepare(args, beam_args: list[str]):
    from pydantic import ValidationError

    from pipelines import publish, runner
    from pipelines.inputs import discover
    from transforms.ingest import plan_tasks

    try:
        overrides = dict(args.set)
        if args.format:
            overrides["ingest.format"] = args.format
        if args.stages is not None:
            overrides["stages"] = parse_stages(args.stages)
        cfg = load_config(args.config, overrides)
        publish.check_output(args.output, args.overwrite)
        files = discover(args.input, cfg.ingest.format.value)
        plan_tasks(files, cfg.ingest)  # refuses more tasks than a run can number
        options = runner.pipeline_options(beam_args, input_bytes=sum(f.size for f in files), verbose=args.verbose)
    except (ValidationError, ValueError, FileNotFoundError, publish.OutputExists) as err:
        raise UsageError(str(err)) from err
    if args.attempts is not None and args.attempts < 1:
        raise UsageError("--attempts takes a whole number of at least 1")
    return cfg, files, options


def run_fingerprint(cfg, files, partitions: int) -> str:
    """What decides a run's staged work: the config, the inputs as they are now, and winnow's version."""
    import hashlib
    import importlib.metadata

    described = {
        "config": cfg.model_dump(mode="json"), "partitions": partitions, "winnow": importlib.metadata.version("winnow"),
        "inputs": [[f.path, f.size, f.modified] for f in files],
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


def _disk_full(err: BaseException) -> bool:
    text = str(err)
    return "No space left on device" in text or "[Errno 28]" in text


def _progress(args, staging: str, files, cfg):
    """A thread that reports how far the run is (pipelines.progress), or None when turned off."""
    from pipelines.progress import Progress
    from transforms.ingest import plan_tasks

    interval = args.progress if args.progress is not None else (2.0 if sys.stderr.isatty() else 10.0)
    if interval <= 0:
        return None
    whole, ranges = plan_tasks(files, cfg.ingest)
    progress = Progress(staging, whole + ranges, interval)
    progress.start()
    return progress


def _job(options, cfg, files, staging: str):
    """A fresh pipeline for one attempt; graph errors surface here, before anything runs."""
    from pipelines import clean, runner

    pipeline = runner.make_pipeline(options)
    clean.build(pipeline, cfg, files, staging)
    return pipeline


def _run(pipeline) -> dict[str, float]:
    """Run the job; returns its worker seconds per step."""
    from apache_beam.runners.runner import PipelineState

    from transforms.stats import step_seconds

    result = pipeline.run()
    state = result.wait_until_finish()
    if state != PipelineState.DONE:
        raise RuntimeError(f"the Beam job ended in state {state}")
    return step_seconds(result)


def _gist(err: BaseException) -> str:
    """The last line of an error: under Beam, the worker's own exception after its traceback."""
    lines = [line for line in str(err).strip().splitlines() if line.strip()]
    return (lines[-1] if lines else type(err).__name__)[:300]


def run_clean(args, beam_args: list[str]) -> int:
    from apache_beam.io.filesystems import FileSystems

    from pipelines import clean, publish, runner
    from pipelines.manifest import MANIFEST_FILE, build_manifest
    from transforms.stats import read_stats

    cfg, files, options = prepare(args, beam_args)
    staging = publish.staging_path(args.output, run_fingerprint(cfg, files, clean.partition_count(files, cfg)))
    resumed = publish.finished_tasks(staging) if publish.exists(staging) else 0
    if publish.exists(staging) and not args.resume:
        raise UsageError(f"{staging} holds the staged work of an interrupted run of this input and config: "
                         "pass --resume to continue it, or delete it")
    attempts = args.attempts or (3 if runner.is_direct(options) else 1)
    print(_plan(files, cfg, runner.describe(options), args.output), file=sys.stderr, flush=True)
    if args.resume:
        print(f"winnow: resuming: {resumed} finished task(s) in {staging} are reused", file=sys.stderr, flush=True)
    started = datetime.now(timezone.utc)
    clock = time.monotonic()
    progress = _progress(args, staging, files, cfg)
    try:
        for attempt in range(1, attempts + 1):
            pipeline = _job(options, cfg, files, staging)
            try:
                profile = _run(pipeline)
                break
            except Exception as err:
                if attempt == attempts or _disk_full(err):
                    raise
                print(f"winnow: attempt {attempt} of {attempts} failed ({_gist(err)}); running again, "
                      f"reusing the {publish.finished_tasks(staging)} task(s) already finished", file=sys.stderr, flush=True)
        if progress:
            progress.stop()
        stats = read_stats(staging)
        seconds = time.monotonic() - clock
        run = {"started_at": started.isoformat(timespec="seconds"), "seconds": round(seconds, 3), "attempts": attempt,
               "resumed_tasks": resumed, "worker_seconds_by_step": profile}
        manifest = build_manifest(stats, files, cfg, runner.describe(options), run)
        with FileSystems.create(FileSystems.join(staging, MANIFEST_FILE)) as f:
            f.write(json.dumps(manifest, indent=2, ensure_ascii=False).encode())
        publish.publish(staging, args.output, args.overwrite)
    except BaseException as err:
        if progress:
            progress.stop()
        kept = publish.exists(staging) and publish.finished_tasks(staging) > 0
        if not kept:
            publish.discard(staging)
        if isinstance(err, Exception):
            cause = "the disk is full" if _disk_full(err) else _gist(err)
            print(f"winnow: the run failed, nothing was published: {cause}", file=sys.stderr)
        if kept:
            print(f"winnow: the finished work is kept in {staging}: run the same command with --resume to continue "
                  "(or delete that folder)", file=sys.stderr)
        if args.verbose or not isinstance(err, Exception):
            raise
        return 1
    print(_summary(manifest, args.output, seconds))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, beam_args = parser.parse_known_args(argv)
    if args.command not in ("clean", "mix") and beam_args:
        parser.error(f"unrecognized arguments: {' '.join(beam_args)}")
    verbose = getattr(args, "verbose", False)
    # Beam logs import-time notices (e.g. about optional GCP clients) on the root logger; a batch
    # job's console should show the summary and real errors unless --verbose asks for more.
    logging.basicConfig(level=logging.INFO if verbose else logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "config":
        if args.config:
            print(yaml.safe_dump(load_config(args.config).model_dump(mode="json"), allow_unicode=True, sort_keys=False), end="")
        else:
            print(defaults_yaml(), end="")
        return 0
    if args.command == "rejects":
        from pipelines.review import report

        try:
            print(report(args.output, args.stage, args.reason, args.limit, args.width))
        except FileNotFoundError as err:
            print(f"winnow: error: {err}", file=sys.stderr)
            return 2
        return 0
    if args.command == "mix":
        from pipelines.mix import run_mix

        return run_mix(args, beam_args)
    if args.command == "report":
        from pipelines.report import write_report

        try:
            written = write_report(args.outputs, args.output, max_rows=args.max_rows)
        except (FileNotFoundError, ValueError) as err:
            print(f"winnow: error: {err}", file=sys.stderr)
            return 2
        print(f"report: {written.html} ({len(written.figures)} figure(s) as PNG in {written.folder})")
        return 0
    if args.command == "sample":
        from pipelines.sample import write_sample

        for path, count in write_sample(args.folder).items():
            print(f"{path}: {count} records")
        return 0
    try:
        return run_clean(args, beam_args)
    except UsageError as err:
        print(f"winnow: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
