"""Configuration of ShareGPT cleaning (stage `sharegpt`) and token counts (stage `tokens`).

Vicuna's recipe for ShareGPT: HTML turns back to markdown, roles checked, truncated answers dropped,
long conversations split at turn boundaries into pieces that fit the model's context. Token counts
use a transformers tokenizer loaded from a local folder (or any Beam filesystem), never a hub.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from pipelines.sections import Section


class ConversationConfig(Section):
    """ShareGPT cleaning: HTML to markdown, role and turn checks, splitting of long conversations."""

    html_to_markdown: bool = Field(
        True, description="Convert turns that hold HTML (a closed element outside code) to markdown; code blocks kept."
    )
    html_turns: Literal["assistant", "all"] = Field(
        "assistant", description="Which turns may be converted: the assistant's (ShareGPT renders only those) or all."
    )
    assistant_speakers: list[str] = Field(
        ["gpt", "assistant", "chatgpt", "bard", "bing", "model"],
        description="Speaker names of the answering side (the asking side is ingest.fields.human_speakers).",
    )
    system_speakers: list[str] = Field(
        ["system"], description="Speaker names of a system prompt, allowed only before the first human turn.",
    )
    check_truncation: bool = Field(
        True, description="Reject a conversation whose final assistant turn was cut off: truncated_last_turn.",
    )
    truncation_min_chars: int = Field(
        300, ge=0, description="A final answer ending mid-sentence is judged from this many characters on ...",
    )
    truncation_min_line_chars: int = Field(
        20, ge=1, description="... when its last line (prose, or a list item of sentences) has at least this many.",
    )
    languages: list[str] | None = Field(
        None,
        description="Languages a turn may be written in, judged by script (zh: Han, en: Latin, ...); null: lang.allowed; "
        "[] turns the check off.",
    )
    language_min_letters: int = Field(
        20, ge=1, description="A turn is judged for its language from this many letters (outside code) on ...",
    )
    max_foreign_script_share: float = Field(
        0.5, ge=0, le=1, description="... and is unwanted_language when letters of other scripts hold more than this share.",
    )
    max_tokens: int | None = Field(
        None, gt=0, description="Split longer conversations at turn boundaries into pieces of at most this many tokens "
        "(tokens.tokenizer); null: no split.",
    )
    turn_overhead_tokens: int = Field(
        0, ge=0, description="Tokens a chat template adds per turn (role prefix, separators), counted in every piece.",
    )


class TokensConfig(Section):
    """Token counts with a local transformers tokenizer: a `tokens` column on every kept record."""

    tokenizer: str | None = Field(
        None, description="Tokenizer folder (tokenizer.json, tokenizer_config.json, ...) or a tokenizer.json file, local or "
        "on any Beam filesystem; null: no tokens column.",
    )
    batch_size: int = Field(1000, gt=0, description="Texts per tokenizer call.")
    add_special_tokens: bool = Field(
        False, description="Count the special tokens the tokenizer adds to a sequence (BOS, EOS, ...), once per record.",
    )
