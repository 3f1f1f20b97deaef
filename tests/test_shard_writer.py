import hashlib
import random

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.config import OutputConfig
from transforms.shards import ShardWriter


def test_a_shard_is_the_same_file_however_its_rows_were_cut_into_pieces(tmp_path):
    rng = random.Random(3)
    words = ["alpha", "beta", "gamma", "delta", "长江", "黄河", "泰山"]
    table = pa.table({"id": [f"r{i:05d}" for i in range(2500)],
                      "text": [" ".join(rng.choice(words) for _ in range(rng.randrange(1, 900))) for _ in range(2500)]})
    cfg = OutputConfig(row_group_rows=1000)
    files = []
    for name, cuts in (("whole", [2500]), ("small", [7, 993, 1, 499, 1000]), ("uneven", [1200, 1300])):
        writer = ShardWriter(str(tmp_path / f"{name}.parquet"), table.schema, cfg)
        start = 0
        for size in cuts:
            piece = table.slice(start, size)
            # pieces of several chunks, as gathered from several staged files
            writer.write(pa.concat_tables([piece.slice(0, size // 3), piece.slice(size // 3)]))
            start += size
        entry = writer.close()
        assert entry["rows"] == 2500
        files.append((tmp_path / f"{name}.parquet").read_bytes())
        assert entry["sha256"] == hashlib.sha256(files[-1]).hexdigest()
    assert files[0] == files[1] == files[2]
    parquet = pq.ParquetFile(tmp_path / "small.parquet")
    assert [parquet.metadata.row_group(i).num_rows for i in range(parquet.num_row_groups)] == [1000, 1000, 500]
    assert parquet.read().equals(table)
