import pytest

from pipelines.config import RulesConfig, WinnowConfig


@pytest.fixture
def rules() -> RulesConfig:
    return RulesConfig()


@pytest.fixture
def config() -> WinnowConfig:
    return WinnowConfig()
