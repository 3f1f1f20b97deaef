import pyarrow as pa

from filters.normalize import dedup_hashes, normalize_text
from pipelines.config import ExactConfig, NormalizeConfig


def test_nfc_composes_characters():
    # Arrow 25's utf8_normalize("NFC") leaves these decomposed; the stage must not
    out = normalize_text(pa.array(["cafe\u0301", "\u1112\u1161\u11ab"]), NormalizeConfig())
    assert out.to_pylist() == ["café", "한"]


def test_default_normalization_keeps_full_width_punctuation_and_fixes_newlines():
    out = normalize_text(pa.array(["  你好，世界！\r\n第二行\r第三行  "]), NormalizeConfig())
    assert out.to_pylist() == ["你好，世界！\n第二行\n第三行"]


def test_traditional_to_simplified():
    out = normalize_text(pa.array(["資料清洗與語料"]), NormalizeConfig(traditional_to_simplified=True))
    assert out.to_pylist() == ["资料清洗与语料"]


def test_nulls_survive_normalization():
    assert normalize_text(pa.array([None, "x"], pa.string()), NormalizeConfig()).to_pylist() == [None, "x"]


def hashes(texts, **cfg):
    hi, lo = dedup_hashes(pa.array(texts), ExactConfig(**cfg))
    return list(zip(hi.tolist(), lo.tolist()))


def test_dedup_key_ignores_width_case_and_spacing():
    keys = hashes(["Hello, World", "ＨＥＬＬＯ，  world ", "hello,\u3000world", "cafe\u0301", "café"])
    assert keys[0] == keys[1] == keys[2]
    assert keys[3] == keys[4]


def test_dedup_key_keeps_different_texts_apart():
    keys = hashes(["数据清洗", "数据清理", "data", "date"])
    assert len(set(keys)) == 4


def test_case_fold_can_be_turned_off():
    keys = hashes(["ABC", "abc"], case_fold=False)
    assert keys[0] != keys[1]


def test_dedup_key_folds_traditional_to_simplified_chinese():
    keys = hashes(["資料清洗與語料庫", "资料清洗与语料库", "资料清洗与语料"])
    assert keys[0] == keys[1] != keys[2]
    traditional, simplified = hashes(["資料", "资料"], traditional_to_simplified=False)
    assert traditional != simplified


def test_to_simplified_converts_han_texts_and_reuses_an_equal_batch():
    from filters.normalize import to_simplified

    values = pa.array(["資料清洗", "plain text", "", "數據 and data"])
    first = to_simplified(values)
    assert first.to_pylist() == ["资料清洗", "plain text", "", "数据 and data"]
    again = to_simplified(pa.array(values.to_pylist()))  # equal content, another array
    assert again is first
    assert to_simplified(pa.array(["臺灣"])).to_pylist() == ["台湾"]
