"""Shuffles through staged files: what a partition reads is what was sent to it, in a fixed order."""

import numpy as np
import pyarrow as pa

from transforms.exchange import exchange_path, read_destination, read_destinations, read_everything, write_partitioned

SCHEMA = pa.schema([("key", pa.int64()), ("value", pa.string())])


def rows(keys, values):
    return pa.table({"key": pa.array(keys, pa.int64()), "value": pa.array(values, pa.string())}, schema=SCHEMA)


def test_each_destination_reads_its_rows_from_every_file_in_path_order(tmp_path):
    staging = str(tmp_path)
    # written out of path order, as workers finish: readers must not depend on it
    second = write_partitioned(exchange_path(staging, "step", 1), rows([10, 11, 12], ["x", "y", "z"]), np.array([2, 0, 2]))
    first = write_partitioned(exchange_path(staging, "step", 0), rows([1, 2, 3], ["a", "b", "c"]), np.array([0, 2, 0]))
    entries = [second, first]
    assert first["row_groups"] == {"0": [0], "2": [1]}
    assert read_destination(entries, 0, SCHEMA).to_pylist() == [
        {"key": 1, "value": "a"}, {"key": 3, "value": "c"}, {"key": 11, "value": "y"}]
    assert read_destination(entries, 2, SCHEMA, ["key"]).column("key").to_pylist() == [2, 10, 12]
    assert read_destination(entries, 1, SCHEMA).num_rows == 0
    # whole files, each laid out by destination
    assert read_everything(entries, SCHEMA, ["value"]).column("value").to_pylist() == ["a", "c", "b", "y", "x", "z"]


def test_several_destinations_read_at_once_are_what_each_reads_alone(tmp_path):
    staging = str(tmp_path)
    entries = [write_partitioned(exchange_path(staging, "step", 1), rows([10, 11, 12, 13], ["w", "x", "y", "z"]),
                                 np.array([3, 1, 3, 0])),
               write_partitioned(exchange_path(staging, "step", 0), rows([1, 2, 3], ["a", "b", "c"]), np.array([1, 3, 1]))]
    together = read_destinations(entries, [1, 3, 2], SCHEMA)
    assert list(together) == [1, 3, 2]
    assert together[1].column("key").to_pylist() == [1, 3, 11]
    assert together[3].column("value").to_pylist() == ["b", "w", "y"]
    assert together[2].num_rows == 0 and together[2].schema == SCHEMA
    for partition in (1, 3):
        assert together[partition].equals(read_destination(entries, partition, SCHEMA))
    assert read_destinations(entries, [3], SCHEMA, ["key"])[3].column("key").to_pylist() == [2, 10, 12]


def test_nothing_to_send_writes_no_file(tmp_path):
    entry = write_partitioned(exchange_path(str(tmp_path), "step", 0), SCHEMA.empty_table(), np.zeros(0, np.int64))
    assert entry == {}
    assert read_destination([entry], 0, SCHEMA).num_rows == 0
    assert not list(tmp_path.rglob("*.arrow"))


def test_a_rewritten_step_replaces_its_file_whole(tmp_path):
    path = exchange_path(str(tmp_path), "step", 5)
    write_partitioned(path, rows([1, 2], ["old", "old"]), np.array([0, 1]))
    again = write_partitioned(path, rows([1], ["new"]), np.array([1]))
    assert read_destination([again], 1, SCHEMA).column("value").to_pylist() == ["new"]
    assert [p.name for p in (tmp_path / "exchange" / "step").iterdir()] == ["part-00005.arrow"]  # no temporary left
