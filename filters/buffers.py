"""Zero-copy numpy views of an Arrow string array, and UTF-8 decoding, for compiled per-text loops."""

from __future__ import annotations

import numba
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


@numba.njit(cache=True, nogil=True, inline="always")
def code_point_at(data, i):
    """(code point, byte length) of the UTF-8 sequence starting at data[i] (data is valid UTF-8, as Arrow's is)."""
    b = data[i]
    if b < 0x80:
        return np.int64(b), 1
    if b < 0xE0:
        return (np.int64(b & 0x1F) << 6) | np.int64(data[i + 1] & 0x3F), 2
    if b < 0xF0:
        return (np.int64(b & 0x0F) << 12) | (np.int64(data[i + 1] & 0x3F) << 6) | np.int64(data[i + 2] & 0x3F), 3
    return ((np.int64(b & 0x07) << 18) | (np.int64(data[i + 1] & 0x3F) << 12)
            | (np.int64(data[i + 2] & 0x3F) << 6) | np.int64(data[i + 3] & 0x3F)), 4
