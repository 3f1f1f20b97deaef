import pytest
from pydantic import ValidationError

from pipelines.config import NearConfig


def test_default_bands_fit_the_minhash_signature():
    cfg = NearConfig()
    assert cfg.bands * cfg.rows <= cfg.num_perm


def test_bands_that_do_not_fit_the_signature_are_refused():
    with pytest.raises(ValidationError, match="exceeds the 160 signature values"):
        NearConfig(bands=40)
    with pytest.raises(ValidationError, match="exceeds the 64 signature values"):
        NearConfig(method="simhash", bands=16, rows=16)
    assert NearConfig(method="simhash", bands=16, rows=16, width=256).width == 256
