"""Reading ahead in a thread keeps order, raises the reader's errors where they happened, stays bounded
and leaves no thread behind."""

import threading
import time

import pytest

from transforms.prefetch import prefetched


def alive() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name == "winnow-prefetch"]


def test_items_arrive_in_order():
    assert list(prefetched(iter(range(1000)), depth=2)) == list(range(1000))
    assert alive() == []


def test_a_reader_error_is_raised_after_the_items_before_it():
    def items():
        yield 1
        yield 2
        raise ValueError("bad file")

    got = []
    with pytest.raises(ValueError, match="bad file"):
        for item in prefetched(items()):
            got.append(item)
    assert got == [1, 2] and alive() == []


def test_reading_stays_at_most_depth_ahead():
    produced = []

    def items():
        for i in range(100):
            produced.append(i)
            yield i

    reader = prefetched(items(), depth=3)
    assert next(reader) == 0
    time.sleep(0.3)
    # the one taken, three waiting, and one more the thread holds while it waits for room
    assert len(produced) == 5
    reader.close()


def test_a_consumer_that_stops_early_closes_the_reader_and_its_thread():
    closed = []

    def items():
        try:
            for i in range(100):
                yield i
        finally:
            closed.append(True)

    reader = prefetched(items())
    assert [next(reader), next(reader)] == [0, 1]
    reader.close()
    assert closed == [True] and alive() == []
