"""Inputs, the language model and the published output on a non-local Beam filesystem."""

import shutil

from pipelines.sample import write_sample
from tests.e2e_helpers import clean
from tests.fake_object_store import FakeObjectStore
from transforms.lang import default_model_path


def test_object_store_run_matches_local_run(tmp_path):
    store = tmp_path / "store"
    FakeObjectStore.root = str(store)
    write_sample(str(store / "bucket" / "in"))
    (store / "bucket" / "models").mkdir()
    shutil.copy(default_model_path(), store / "bucket" / "models" / "lid.176.ftz")
    local = tmp_path / "local"
    assert clean("--input", str(store / "bucket" / "in" / "web"), "--output", str(local)) == 0
    assert clean("--input", "fakestore://bucket/in/web/*", "--output", "fakestore://bucket/out",
                 "--set", "lang.model_path=fakestore://bucket/models/lid.176.ftz") == 0
    published = store / "bucket" / "out"
    assert [p for p in store.rglob("*") if "winnow-staging" in str(p) and p.is_file()] == []  # no staging object left
    names = sorted(str(p.relative_to(local)) for p in local.rglob("*.parquet"))
    assert names == sorted(str(p.relative_to(published)) for p in published.rglob("*.parquet"))
    for name in names:
        assert (local / name).read_bytes() == (published / name).read_bytes(), name
    assert (published / "manifest.json").exists()
    assert clean("--input", "fakestore://bucket/in/web/*", "--output", "fakestore://bucket/out") == 2
