"""Record shapes: the Arrow schemas records and rejects travel in, and turning one parsed input
object into the columns of a record (or the reason it cannot be one).

Extra input fields are carried through as one JSON object string, `meta`, so that every shard of
a run has the same schema whatever fields individual input files add.
"""

from __future__ import annotations

import orjson
import pyarrow as pa

from pipelines.config import FieldNames, RecordFormat

TURN_TYPE = pa.list_(pa.struct([("from", pa.string()), ("value", pa.string())]))

KEY_FIELDS = [pa.field("id", pa.string()), pa.field("source", pa.string()), pa.field("source_row", pa.int64())]
CONTENT_FIELDS = {
    RecordFormat.web: [pa.field("text", pa.string())],
    RecordFormat.alpaca: [
        pa.field("instruction", pa.string()),
        pa.field("input", pa.string()),
        pa.field("output", pa.string()),
    ],
    RecordFormat.sharegpt: [pa.field("conversations", TURN_TYPE)],
}
META_FIELD = pa.field("meta", pa.string())
# What the rules stage cleaned in a record (boilerplate lines removed, mojibake repaired), as JSON; null when nothing.
CLEANED_FIELD = pa.field("cleaned", pa.string())
LANG_FIELDS = [pa.field("lang", pa.string()), pa.field("lang_score", pa.float32())]
# Every scorer's scores of a kept record, as JSON {scorer: {category: score}} (stage moderation).
MODERATION_FIELD = pa.field("moderation", pa.string())
# A piece of a ShareGPT conversation split to fit `conversations.max_tokens` names the conversation it came from.
PARENT_ID_FIELD = pa.field("parent_id", pa.string())
TOKENS_FIELD = pa.field("tokens", pa.int64())
LENGTH_FIELD = pa.field("length", pa.int64())
REJECT_FIELDS = [
    pa.field("stage", pa.string()),
    pa.field("reason", pa.string()),
    pa.field("detail", pa.string()),
    pa.field("raw", pa.binary()),
]


def content_columns(fmt: RecordFormat) -> list[str]:
    return [f.name for f in CONTENT_FIELDS[fmt]]


def ingest_schema(fmt: RecordFormat) -> pa.Schema:
    return pa.schema(KEY_FIELDS + CONTENT_FIELDS[fmt] + [META_FIELD])


def record_schema(fmt: RecordFormat, with_lang: bool, with_cleaned: bool = False, with_moderation: bool = False,
                  with_tokens: bool = False) -> pa.Schema:
    """Schema of kept records in data/; `parent_id` for ShareGPT, `cleaned` after `meta` when the rules
    stage runs, `moderation` after the language columns when that stage runs, `tokens` with a tokenizer."""
    parent = [PARENT_ID_FIELD] if fmt is RecordFormat.sharegpt else []
    cleaned = [CLEANED_FIELD] if with_cleaned else []
    moderation = [MODERATION_FIELD] if with_moderation else []
    tokens = [TOKENS_FIELD] if with_tokens else []
    return pa.schema(
        KEY_FIELDS + parent + CONTENT_FIELDS[fmt] + [META_FIELD] + cleaned + (LANG_FIELDS if with_lang else []) + moderation
        + [LENGTH_FIELD] + tokens
    )


def reject_schema(fmt: RecordFormat, with_lang: bool, with_cleaned: bool = False, with_moderation: bool = False,
                  with_tokens: bool = False) -> pa.Schema:
    return pa.schema(list(record_schema(fmt, with_lang, with_cleaned, with_moderation, with_tokens)) + REJECT_FIELDS)


class RecordError(Exception):
    """An input object that cannot become a record; `reason` is the reject reason code."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def _string_field(obj: dict, name: str, required: bool) -> str:
    value = obj.get(name)
    if value is None:
        if required:
            raise RecordError("missing_field", f"field {name!r} is missing or null")
        return ""
    if not isinstance(value, str):
        raise RecordError("wrong_type", f"field {name!r} is {type(value).__name__}, not a string")
    return value


def _conversation(obj: dict, fields: FieldNames) -> list[dict]:
    turns = obj.get(fields.conversations)
    if turns is None:
        raise RecordError("missing_field", f"field {fields.conversations!r} is missing or null")
    if not isinstance(turns, list):
        raise RecordError("wrong_type", f"field {fields.conversations!r} is {type(turns).__name__}, not a list")
    out = []
    for i, turn in enumerate(turns):
        if not isinstance(turn, dict):
            raise RecordError("malformed_conversation", f"turn {i} is {type(turn).__name__}, not an object")
        speaker, value = turn.get(fields.speaker), turn.get(fields.value)
        if not isinstance(speaker, str) or not isinstance(value, str):
            raise RecordError("malformed_conversation", f"turn {i} lacks string {fields.speaker!r}/{fields.value!r}")
        out.append({"from": speaker, "value": value})
    return out


def own_id(obj: dict, fields: FieldNames) -> str | None:
    value = obj.get(fields.id)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise RecordError("wrong_type", f"field {fields.id!r} is {type(value).__name__}, not a string or integer")
    return str(value)


def usable_own_id(obj: object, fields: FieldNames) -> str | None:
    """The object's own id when it has a valid one (for naming a reject), else None."""
    try:
        return own_id(obj, fields) if isinstance(obj, dict) else None
    except RecordError:
        return None


def content_values(obj: object, fmt: RecordFormat, fields: FieldNames) -> tuple[str | None, list, str | None]:
    """(own id or None, content column values, meta JSON or None) of one parsed input object.

    Raises RecordError with the reject reason when the object is not a usable record.
    """
    if not isinstance(obj, dict):
        raise RecordError("not_an_object", f"record is a JSON {type(obj).__name__}, not an object")
    rid = own_id(obj, fields)
    if fmt is RecordFormat.web:
        values = [_string_field(obj, fields.text, required=True)]
        used = {fields.id, fields.text}
    elif fmt is RecordFormat.alpaca:
        values = [
            _string_field(obj, fields.instruction, required=True),
            _string_field(obj, fields.input, required=False),
            _string_field(obj, fields.output, required=True),
        ]
        used = {fields.id, fields.instruction, fields.input, fields.output}
    else:
        values = [_conversation(obj, fields)]
        used = {fields.id, fields.conversations}
    extra = {k: v for k, v in obj.items() if k not in used}
    meta = orjson.dumps(extra, option=orjson.OPT_SORT_KEYS, default=str).decode() if extra else None
    return rid, values, meta


def derived_id(source: str, source_row: int) -> str:
    return f"{source}:{source_row}"
