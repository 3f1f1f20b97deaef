import pytest
import yaml
from pydantic import ValidationError

from pipelines.config import WinnowConfig, load_config, parse_stages


def test_stages_are_put_in_the_pipeline_order():
    assert parse_stages("exact, lang,rules") == ["rules", "lang", "exact"]


def test_unknown_stages_are_refused():
    with pytest.raises(ValueError, match="unknown stage"):
        parse_stages("rules,dedupe")


def test_the_default_stages_leave_near_and_moderation_to_be_asked_for():
    assert WinnowConfig().stages == ["normalize", "sharegpt", "rules", "lang", "exact"]
    assert parse_stages("moderation,near,exact") == ["exact", "near", "moderation"]


def test_stages_from_a_config_file_are_checked_too(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump({"stages": ["exact", "rules"]}))
    assert load_config(path).stages == ["rules", "exact"]
    path.write_text(yaml.safe_dump({"stages": ["moderation", "dedupe"]}))
    with pytest.raises(ValidationError, match="unknown stage"):
        load_config(path)


def test_overrides_reach_nested_settings_and_unknown_keys_fail(tmp_path):
    cfg = load_config(None, {"rules.web.min_words": 20, "lang.allowed": ["zh"]})
    assert (cfg.rules.web.min_words, cfg.lang.allowed) == (20, ["zh"])
    with pytest.raises(ValidationError):
        load_config(None, {"rules.web.min_wrods": 20})


def test_defaults_round_trip_through_yaml():
    assert WinnowConfig.model_validate(yaml.safe_load(yaml.safe_dump(WinnowConfig().model_dump(mode="json")))) == WinnowConfig()
