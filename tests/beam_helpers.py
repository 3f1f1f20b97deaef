"""Running transforms under Beam in tests, without the DirectRunner's Prism download attempt."""

import pyarrow as pa
from apache_beam.runners.portability.fn_api_runner import fn_runner
from apache_beam.testing.test_pipeline import TestPipeline


def test_pipeline() -> TestPipeline:
    return TestPipeline(runner=fn_runner.FnApiRunner())


test_pipeline.__test__ = False


def rows(batches, *columns):
    """Flatten record batches (or tables) into tuples of the named columns, sorted."""
    out = []
    for batch in batches:
        table = pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch
        out += list(zip(*(table.column(c).to_pylist() for c in columns)))
    return sorted(out)
