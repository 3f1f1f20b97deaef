"""Zero-copy numpy views of an Arrow string array, for compiled per-text loops."""

from __future__ import annotations

import numpy as np
import pyarrow as pa


def string_buffers(values: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(offsets as int64 [n+1], UTF-8 bytes, validity) of a string array; slices are honoured."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_large_string(values.type):
        values = values.cast(pa.string())
    _, offsets_buf, data_buf = values.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int32, count=len(values) + 1, offset=values.offset * 4)
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, dtype=np.uint8)
    valid = values.is_valid().to_numpy(zero_copy_only=False)
    return offsets.astype(np.int64), data, valid
