"""Safe HTML: an allowlist (nh3, the Python binding of Ammonia) applied to the HTML a story renders to.

Story bodies are Markdown and may hold raw HTML; a stage's introduction is
Markdown from YAML. Both are rendered here as the build renders them, and the
HTML is checked against the allowlist below: the tags, attributes and URL
schemes the archive's pages really use. Anything the allowlist would remove
is refused, with the line of the source and the reason; nothing is silently
dropped. The published page is checked again (``refused``), so that markup
the build's own Markdown settings produce cannot slip past.

Two passes, so that each refusal can say why: a walk over the HTML with the
standard library's parser names each tag, attribute or URL that is not
allowed; then nh3 cleans the same HTML, and if its output differs from the
input in any way the walk did not explain, the markup is refused all the
same. nh3 decides; the walk only explains.

Plain-text fields (captions, summaries, notes...) are escaped on output, so
markup in them shows as text; they are held to the same allowlist all the same.

Speed: a story body with no sign of markup (``needs_html_check``) is not
rendered at all, and a build keeps each body's verdict in its cache folder
(``verdicts_kept_in``), so an unchanged body is not rendered again. The second
walk is skipped when nh3 keeps the HTML as nh3 spells it (``nh3_spelling``),
the first too when the HTML is of a plain shape with nothing in it to refuse
(``_glance``), and nh3's cleaner is made once per allowlist (``_cleaner``).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path

import markdown
import nh3

from .searchinput import DOCUMENT, TAG  # the plain shape, and its tags, as the search's scanner reads them

# What the archive's story pages use: Markdown's output (paragraphs, headings,
# lists, links, images, emphasis, code, quotes, footnotes, tables) and the
# HTML an editor may reasonably write around it (figures, abbreviations...).
TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "a", "em", "strong", "b", "i", "u", "s", "del",
    "ins", "mark", "small", "sub", "sup", "code", "kbd", "pre", "blockquote", "q", "cite", "abbr", "dfn",
    "time", "span", "div", "ul", "ol", "li", "dl", "dt", "dd", "img", "figure", "figcaption", "table",
    "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "details", "summary",
})
GENERIC_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
ATTRIBUTES = {
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "time": {"datetime"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "poster", "srcset", "data",
                            "background", "xlink:href", "ping"})
# The extensions of the archive's mkdocs.yml (and of `docarchive init`'s) that can make markup: attr_list
# adds attributes, md_in_html keeps raw blocks, footnotes adds tags and links. The other two (smarty, toc)
# only turn quotes into entities and add heading ids, so the check leaves them out: they cost half its time.
# The published page is checked again whatever the site's extensions (mkdocs_glue.page_content).
MARKDOWN_EXTENSIONS = ["attr_list", "md_in_html", "footnotes"]
LINK_FIX = "link with https://, http:// or mailto:, or to a page of the archive"
IMAGE_FIX = "show images through photos/ and the story's photos: field (see the photo guide)"
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


# Something a page would fetch from another host as it loads: an HTML src/srcset/poster/data
# attribute, a Markdown image or a CSS url() with an absolute or protocol-relative URL.
EXTERNAL_FETCH = re.compile(
    r"""\b(?:src|srcset|poster|data|background)\s*=\s*["']?\s*((?:https?:)?//[^\s"'>,]+)"""
    r"""|!\[[^\]]*\]\(\s*<?((?:https?:)?//[^\s)>]+)|url\(\s*["']?((?:https?:)?//[^"')\s]+)""",
    re.IGNORECASE,
)


def external_fetch(text: str) -> str:
    """The first URL on another host that ``text``, as page content, would make the browser fetch ("" if none)."""
    if "//" not in text:  # every branch of the pattern needs it: most texts are done without the regex
        return ""
    match = EXTERNAL_FETCH.search(text)
    return next(group for group in match.groups() if group) if match else ""


FETCH_MESSAGE = "loads {url} from another host; the archive must work with no network"
FETCH_FIX = "remove it; an image belongs in photos/ with its caption record"


@dataclass(frozen=True)
class Refusal:
    needle: str  # text to look for in the source, to find the line
    message: str
    fix: str


def clean(fragment: str) -> str:
    """The fragment as the allowlist keeps it."""
    return _cleaner().clean(fragment)


_CLEANERS: dict = {}  # one nh3.Cleaner per allowlist: making it each time cost a sixth of the cleaning


def _cleaner() -> nh3.Cleaner:
    key = (TAGS, GENERIC_ATTRIBUTES, URL_SCHEMES, tuple((t, frozenset(a)) for t, a in ATTRIBUTES.items()))
    if key not in _CLEANERS:  # keyed by the allowlist itself, so a changed allowlist gets its own cleaner
        attributes = {tag: set(names) for tag, names in ATTRIBUTES.items()}
        attributes["*"] = set(GENERIC_ATTRIBUTES)
        _CLEANERS[key] = nh3.Cleaner(tags=set(TAGS), attributes=attributes, url_schemes=set(URL_SCHEMES),
                                     link_rel=None, strip_comments=True)
    return _CLEANERS[key]


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see: entities decoded, tabs and newlines dropped, case folded."""
    plain = re.sub(r"[\t\n\r]", "", html.unescape(value)).strip(" \x00-\x1f").lower()
    found = SCHEME.match(plain)
    return found.group(1) if found else None


class _Walk(HTMLParser):
    """Collects a Refusal for each thing the allowlist would remove, and a token list to compare."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refusals: list[Refusal] = []
        self.tokens: list = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text() or f"<{tag}"
        self.tokens.append((tag, tuple(sorted((k, v or "") for k, v in attrs))))
        if tag not in TAGS:
            self.refusals.append(Refusal(f"<{tag}", f"<{tag}> is not allowed in the archive's pages",
                                         "remove it: write text, links and images in Markdown"))
            return
        allowed = GENERIC_ATTRIBUTES | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                self.refusals.append(Refusal(name, f"the attribute '{name}' on <{tag}> is not allowed",
                                             "remove the attribute (scripts and styles cannot be added to a page)"))
            elif name in URL_ATTRIBUTES and value is not None:
                self._check_url(tag, name, value, raw)

    def _check_url(self, tag: str, name: str, value: str, raw: str) -> None:
        scheme = url_scheme(value)
        shown = re.sub(r"[\x00-\x1f]", lambda c: f"\\x{ord(c.group()):02x}", value)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        needle = _raw_value(raw, name) or value
        if scheme is not None and scheme not in URL_SCHEMES:
            hidden = " (spelled with character references)" if needle != value and "&" in needle else ""
            self.refusals.append(Refusal(needle, f"the {name} '{shown}' of <{tag}> uses '{scheme}:'{hidden}, "
                                                 f"which is not allowed",
                                         IMAGE_FIX if tag == "img" else LINK_FIX))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)

    def handle_decl(self, decl):
        self.refusals.append(Refusal("<!", f"<!{decl[:20]}> is not allowed", "remove it"))

    def handle_pi(self, data):
        self.refusals.append(Refusal("<?", f"<?{data[:20]}> is not allowed", "remove it"))

    def unknown_decl(self, data):
        self.handle_decl(data)


def _raw_value(start_tag: str, name: str) -> str:
    found = re.search(rf"""\b{re.escape(name)}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", start_tag, re.I)
    return next((g for g in found.groups() if g is not None), "") if found else ""


def _walk(fragment: str) -> _Walk:
    walk = _Walk()
    walk.feed(fragment)
    walk.close()
    return walk


def refused(fragment: str) -> list[Refusal]:
    """Every reason the allowlist would change ``fragment`` (rendered HTML); empty when it is kept whole."""
    glance = _glance(fragment)
    cleaned = clean(fragment) if glance is not None else None
    if glance is not None and (cleaned == fragment or cleaned == _spelled(fragment, glance)):
        return []  # what the walk would say of it: nothing refused, and nh3 keeps it
    walk = _walk(fragment)
    if walk.refusals:
        return walk.refusals
    cleaned = clean(fragment) if cleaned is None else cleaned
    if cleaned == fragment or cleaned == nh3_spelling(fragment, walk):  # a walk over it would be this one
        return []
    kept = _walk(cleaned)
    same_text = " ".join("".join(kept.text).split()) == " ".join("".join(walk.text).split())
    if kept.tokens == walk.tokens and same_text:
        return []
    first = next((a for a, b in zip(walk.tokens, kept.tokens) if a != b), walk.tokens[-1] if walk.tokens else None)
    needle = f"<{first[0]}" if first else "<"
    return [Refusal(needle, "the HTML sanitizer would change this markup (it is malformed or not allowed)",
                    "write it in plain Markdown, or close every tag you open")]


# nh3 writes a kept fragment in its own spelling: a character reference as its character (&rsquo; -> ’,
# &#8617; -> ↩), a no-break space as &nbsp;, and <hr> and <br> without Markdown's " /". ``nh3_spelling``
# re-spells a fragment so, changing nothing html.parser reads (the same start tags, attributes and text), so
# when nh3's output equals it the walk over that output would be the first walk again. That holds because
# html.parser decodes every reference in text and attribute values with html.unescape, as below, and because
# a character put in is neither ASCII nor a space: no entity name, tag, quote or value ends at it, and the
# walk (which refused everything but allowed tags and attributes first) finds references nowhere else that
# counts (a comment, which nh3 drops, or an end tag's junk, which it rewrites, make nh3's output differ).
# "<hr />" is a tag wherever it stands but in an attribute's value: when a value holds a '<', left alone.
# tests/test_page_speed.py proves the verdicts are the full path's on every real story and tricky fragment.
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_VOID_SLASH = re.compile(r"<(hr|br) />")


def _respelled(reference: re.Match) -> str:
    character = html.unescape(reference.group())
    if character == "\xa0":
        return "&nbsp;"
    if len(character) != 1 or ord(character) <= 0xA0 or character.isspace():
        return reference.group()  # ASCII (&amp; &lt; &quot;...), spaces, or no single character: as written
    return character


def nh3_spelling(fragment: str, walk: _Walk) -> str:
    """``fragment`` (whose walk is ``walk``) with its references and void tags spelled as nh3 spells them."""
    return _spelled(fragment, any("<" in value for _, attrs in walk.tokens for _, value in attrs))


def _spelled(fragment: str, lt_in_a_value: bool) -> str:
    if "&" in fragment:
        fragment = _REFERENCE.sub(_respelled, fragment)
    if " />" not in fragment or lt_in_a_value:
        return fragment  # "<hr />" could be in an attribute's value, where it is no tag: left as written
    return _VOID_SLASH.sub(r"<\1>", fragment)


# The walk at a glance. A fragment of the plain shape that searchinput reads as html.parser does (DOCUMENT:
# lower-case names, attributes as name="value" with no '<' in a value, or bare, or unquoted; no comment, no
# declaration, every '<' opening a tag) has the start tags and attributes that TAG and PLAIN_ATTRIBUTE find,
# with each value as html.parser gives it (entities decoded by html.unescape). When all of them are allowed,
# the walk refuses nothing, and only nh3 has to be asked: Markdown's pages are of that shape, and the walk
# (html.parser, in Python) cost as much as nh3. Any other fragment, or one with anything not allowed, is
# walked. tests/test_page_speed.py reads every fragment of its cases both ways.
PLAIN_ATTRIBUTE = re.compile(r'[ \t\n\r\f]+([a-z_:][-a-z0-9_:.]*)(?:=(?:"([^"<]*)"|([^\s"\'=<>`]+)))?')


def plain_start_tags(fragment: str) -> list[tuple[str, list[tuple[str, str | None]]]] | None:
    """Each start tag of a fragment of the plain shape, as html.parser reads it: its name, and its attributes'
    names and values (None for a bare name); None for a fragment of another shape."""
    if DOCUMENT.fullmatch(fragment) is None:
        return None
    return [(m.group(1), [(a.group(1), _plain_value(a)) for a in PLAIN_ATTRIBUTE.finditer(m.group(2))])
            for m in TAG.finditer(fragment) if m.group(1) is not None]


def _plain_value(attribute: re.Match) -> str | None:
    quoted, unquoted = attribute.group(2), attribute.group(3)
    value = quoted if quoted is not None else unquoted
    return html.unescape(value) if value else value


def _glance(fragment: str) -> bool | None:
    """None, or (when the fragment is of the plain shape and the walk would refuse none of its tags, attributes
    and URLs) whether an attribute's value holds a '<'."""
    tags = plain_start_tags(fragment)
    if tags is None:
        return None
    lt_in_a_value = False
    for tag, attrs in tags:
        if tag not in TAGS:
            return None
        allowed = ATTRIBUTES.get(tag, ())
        for name, value in attrs:
            if name not in GENERIC_ATTRIBUTES and name not in allowed:
                return None
            if value is not None:
                if name in URL_ATTRIBUTES and url_scheme(value) not in (None, *URL_SCHEMES):
                    return None
                lt_in_a_value = lt_in_a_value or "<" in value
    return lt_in_a_value


_MARKDOWN: list = []  # one converter, reset between texts: making one costs more than converting a story


def render(text: str) -> str:
    if not _MARKDOWN:
        _MARKDOWN.append(markdown.Markdown(extensions=MARKDOWN_EXTENSIONS))
    converter = _MARKDOWN[0]
    converter.reset()
    return converter.convert(text)


def _line_of(needle: str, lines: list[str], start: int) -> int:
    """The index of the first line from ``start`` (wrapping round) that holds ``needle``, case-insensitively."""
    low = needle.lower()
    order = [*range(start, len(lines)), *range(0, start)]
    return next((i for i in order if low in lines[i].lower()), -1)


def _quoted(refusal: Refusal) -> str:
    """The message, after what was found in the source (as written there), so the editor can search for it."""
    shown = re.sub(r"[\x00-\x1f]", lambda c: f"\\x{ord(c.group()):02x}", refusal.needle)
    shown = shown if len(shown) <= 50 else shown[:47] + "..."
    return f"contains '{shown}': {refusal.message}"


def check_story_body(body: str, path: str, first_line: int, problems) -> None:
    """Refuse whatever in the story's rendered body the allowlist would remove, and anything that
    would make the page fetch from another host, each at its line."""
    lines = body.split("\n")
    # A fetch found in a line is found in the whole body too (the pattern has no anchors, and a line's ends
    # meet a newline, which \b and the URL's end read as they read the line's own ends): a body with none
    # is done in one search instead of one a line.
    for offset, line in enumerate(lines) if external_fetch(body) else ():
        url = external_fetch(line)
        if url:
            problems.error(path, first_line + offset, "body", FETCH_MESSAGE.format(url=url), FETCH_FIX)
    for index, message, fix in body_verdict(body, lines):
        problems.error(path, first_line + index, "body", message, fix)


# Without one of these a body can only make Markdown's own plain tags (p, h1-h6, em, strong, code, pre,
# blockquote, lists, hr, br), with no attribute and no URL: raw HTML, autolinks and md_in_html need '<';
# links, images, reference definitions and footnotes need '['; attr_list's attributes need '{'. nh3 changes
# text with a NUL or with some character references (&#65535;), which the full check refuses: '&', NUL.
MARKUP_SIGNS = ("<", "[", "{", "&", "\x00")


def needs_html_check(body: str) -> bool:
    """Whether ``body`` could render to anything the allowlist might remove (tests/test_sanitize.py proves the no)."""
    return any(sign in body for sign in MARKUP_SIGNS)


def body_verdict(body: str, lines: list[str]) -> list[tuple[int, str, str]]:
    """The allowlist's refusals of a story body, as (line index in the body, message, fix)."""
    if not needs_html_check(body):
        return []
    cache = _VERDICTS[-1] if _VERDICTS else None
    verdict = cache.get(body) if cache is not None else None
    if verdict is None:
        verdict, cursor = [], 0
        for refusal in refused(render(body)):
            index = max(_line_of(refusal.needle, lines, cursor), 0)
            cursor = index
            verdict.append((index, _quoted(refusal), refusal.fix))
        if cache is not None:
            cache.put(body, verdict)
    return verdict


class VerdictCache:
    """Story bodies' verdicts, kept in one JSON file in ``folder``: read once as a load starts, written
    (atomically, and only when it changed) as it ends, with the verdicts of the bodies that load checked.
    Each is under a hash of its body; the file holds a fingerprint of all that decides a verdict (the
    allowlist, the Markdown extensions, this module's code, its libraries' versions) and is ignored whole
    when that differs. A file or an entry of another shape is ignored, and written again."""

    FILE = "verdicts.json"

    def __init__(self, folder: Path):
        self.path = Path(folder) / self.FILE
        self.settings = _settings_fingerprint()
        self.stored: dict | None = self._read()  # None: no file of the right shape and settings
        self.used: dict[str, list] = {}

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        verdicts = data.get("verdicts") if isinstance(data, dict) and data.get("settings") == self.settings else None
        return verdicts if isinstance(verdicts, dict) else None

    @staticmethod
    def key(body: str) -> str:
        return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    def get(self, body: str) -> list[tuple[int, str, str]] | None:
        key = self.key(body)
        data = self.used[key] if key in self.used else (self.stored or {}).get(key)  # met twice in one load?
        shaped = isinstance(data, list) and all(
            isinstance(item, list) and len(item) == 3 and type(item[0]) is int and item[0] >= 0
            and isinstance(item[1], str) and isinstance(item[2], str) for item in data)
        if not shaped:
            return None
        self.used[key] = data
        return [tuple(item) for item in data]

    def put(self, body: str, verdict: list[tuple[int, str, str]]) -> None:
        self.used[self.key(body)] = [list(item) for item in verdict]

    def save(self) -> None:
        if self.used == self.stored:
            return  # nothing new, nothing gone: a warm build writes nothing
        from .photo_cache import atomic_write  # the engine's one way to write a cache file
        text = json.dumps({"settings": self.settings, "verdicts": self.used}, ensure_ascii=False)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        except OSError:
            pass  # a cache that cannot be written only costs time: the verdicts themselves are right


def _settings_fingerprint() -> str:
    from . import __version__
    settings = [sorted(TAGS), sorted(GENERIC_ATTRIBUTES), sorted((t, sorted(a)) for t, a in ATTRIBUTES.items()),
                sorted(URL_SCHEMES), sorted(URL_ATTRIBUTES), MARKDOWN_EXTENSIONS, __version__,
                version("markdown"), version("nh3"), hashlib.sha256(Path(__file__).read_bytes()).hexdigest()]
    return json.dumps(settings)


_VERDICTS: list[VerdictCache | None] = []  # the cache of the load under way, if it has one


@contextmanager
def verdicts_kept_in(folder: Path | None, save: bool = True):
    """Within the block, story bodies' verdicts are kept in (and read from) ``folder``; None keeps none.
    Gives the cache (or None); ``save=False`` only reads the folder (readahead.py's worker)."""
    cache = VerdictCache(folder) if folder is not None else None
    _VERDICTS.append(cache)
    try:
        yield cache
    finally:
        _VERDICTS.pop()
        if cache is not None and save:  # also after a load with problems: each verdict kept is right all the same
            cache.save()


def check_field(text: str, markdown_field: bool, path: str, line: int, name: str, problems) -> None:
    """A YAML or front-matter text. Markdown fields are rendered (their HTML escaped first, as the build
    does) and checked; plain-text fields are escaped on output, and are held to the same allowlist so that
    no field carries markup a page would refuse."""
    if not markdown_field and "<" not in text:
        return  # no tag, so nothing the allowlist could remove
    fragment = render(html.escape(text, quote=False)) if markdown_field else text
    for refusal in refused(fragment):
        problems.error(path, line, name, _quoted(refusal), refusal.fix)
