import pyarrow as pa

from filters.near_text import matching_form


def test_width_case_punctuation_and_spacing_fold_away():
    out = matching_form(pa.array(["Ｈｅｌｌｏ，  Ｗｏｒｌｄ！", "hello world", "HELLO-world...\n"]))
    assert out.to_pylist() == ["helloworld"] * 3


def test_traditional_chinese_folds_to_simplified_and_cjk_punctuation_goes():
    out = matching_form(pa.array(["資料清洗與語料庫。", "「资料清洗」与语料库"]))
    assert out.to_pylist() == ["资料清洗与语料库", "资料清洗与语料库"]


def test_traditional_folding_can_be_turned_off():
    assert matching_form(pa.array(["資料"]), traditional_to_simplified=False).to_pylist() == ["資料"]


def test_compatibility_forms_and_invisible_characters():
    out = matching_form(pa.array(["ﬁle①\u200b\u3000café", "file1cafe\u0301"]))
    assert out[0] == out[1]
    assert out[0].as_py().startswith("file1caf")


def test_nulls_become_empty_strings():
    assert matching_form(pa.array([None, "x"], pa.string())).to_pylist() == ["", "x"]


def test_chunked_and_sliced_input():
    chunked = pa.chunked_array([["A b", "c"], ["Ｄ"]])
    assert matching_form(chunked).to_pylist() == ["ab", "c", "d"]
    assert matching_form(pa.array(["x", "Y z", "w"]).slice(1, 1)).to_pylist() == ["yz"]
