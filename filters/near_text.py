"""The matching form of texts for near-duplicate detection (the stored text is never changed).

Copies that differ only in script, width, case, spacing or punctuation should look identical to the
fingerprints and to verification, so the matching form folds all of that away, in this order:

1. Traditional → Simplified Chinese with OpenCC t2s, as exact dedup's key does first too (only texts
   holding a Han character go through it, and a batch that exact dedup just converted is reused);
2. compatibility decomposition, NFKD (full-width Latin letters, digits and punctuation become
   half-width; ligatures split), as Arrow's utf8_normalize does it: NFKD identifies exactly the
   texts NFKC does (Arrow 25's "NFKC" does not recompose anyway). Accented letters stay as letter +
   combining mark, in every text alike;
3. lower case (Arrow's utf8_lower);
4. every punctuation mark (ASCII and CJK), symbol, separator, whitespace, control and format
   character removed (as one RE2 pass of ``[\\p{P}\\p{S}\\p{Z}\\p{C}\\s]`` would).

Nulls become empty strings. Every step runs over the whole array in compiled code, once per text and
never per character in Python: step 1 in OpenCC's C++, steps 2-4 as per-code-point tables of Arrow's
own functions (`filters.code_point_maps`, which hands the rare text those tables cannot map to Arrow).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from filters.code_point_maps import lower_and_remove, nfkd
from filters.normalize import to_simplified

# Unicode categories dropped from the matching form: punctuation, symbols, separators (spaces,
# line/paragraph separators) and "other" (controls, format characters such as U+200B, private use).
NON_CONTENT_PATTERN = r"[\p{P}\p{S}\p{Z}\p{C}\s]+"


def matching_form(texts: pa.Array | pa.ChunkedArray, traditional_to_simplified: bool = True) -> pa.Array:
    """The matching form of every text of a string array (see the module docstring)."""
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    if pa.types.is_large_string(texts.type):
        texts = texts.cast(pa.string())
    values = pc.fill_null(texts, "")
    if traditional_to_simplified:
        values = to_simplified(values)
    return lower_and_remove(nfkd(values)[0], NON_CONTENT_PATTERN)
