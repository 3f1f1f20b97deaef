"""Arrow data that pickles small: zstd-compressed Arrow IPC.

Beam encodes elements with pickle wherever they cross a stage boundary: runner buffers, shuffles,
the data plane between processes. Wrapping the batches that carry whole texts in `Packed` shrinks
those bytes several-fold for about a millisecond per megabyte; inside a fused stage nothing is
encoded and the wrapper costs nothing. (On the DirectRunner it cut peak memory at 1M records;
on Dataflow it cuts shuffle bytes.)
"""

from __future__ import annotations

import pyarrow as pa

_OPTIONS = pa.ipc.IpcWriteOptions(compression="zstd")


class Packed:
    __slots__ = ("table",)

    def __init__(self, table: pa.Table | pa.RecordBatch):
        self.table = pa.Table.from_batches([table]) if isinstance(table, pa.RecordBatch) else table

    def __reduce__(self):
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, self.table.schema, options=_OPTIONS) as writer:
            writer.write_table(self.table)
        return _unpack, (sink.getvalue().to_pybytes(),)


def _unpack(data: bytes) -> Packed:
    return Packed(pa.ipc.open_stream(pa.py_buffer(data)).read_all())


def unpacked(item) -> pa.Table | pa.RecordBatch:
    return item.table if isinstance(item, Packed) else item
