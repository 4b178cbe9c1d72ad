"""Parse decoded HTML into a Page: its metadata and the main content as a list of text blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

# Elements whose text never belongs to the page's readable content.
_INVISIBLE = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "iframe",
        "head",
        "select",
        "option",
        "textarea",
        "button",
        "input",
        "object",
        "embed",
        "canvas",
        "map",
        # struck-out text is superseded ("Date: <del>22 October</del> 12 November")
        "del",
        "s",
        "strike",
    ]
)
# Page furniture: dropped from the main content (still read for last-updated lines).
_FURNITURE = frozenset(["nav", "footer", "aside", "form", "menu", "dialog"])
_BLOCK = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "td",
        "th",
        "tr",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "nav",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "address",
        "form",
        "fieldset",
        "legend",
        "details",
        "summary",
        "caption",
        "center",
        "hr",
        "body",
        "html",
    ]
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BOILERPLATE = re.compile(
    r"(?:^|[-_ ])(?:nav|navbar|navigation|menu|menus|breadcrumbs?|cookies?|consent|banner|"
    r"sidebar|side-bar|footer|share|sharing|social|related|comments?|skip|search|"
    r"pager|pagination|advert|ads|newsletter|login|element-invisible|sr-only|visually-hidden|"
    r"hidden|modal|popup|toolbar|recent-posts|widget-posts|posts-widget|post-loop|posts-loop)"
    r"(?:[-_ ]|$)"
    # a blog's sidebar widget ("widget widget_recent_entries", "widget-area"), not a page
    # builder's content block, which its builder's prefix names ("elementor-widget-icon-list");
    # a builder's loop of other posts ("elementor-widget-posts") is a teaser list all the same
    r"|(?:^|\s)widgets?(?:[-_\s]|$)"
)
_SPACE = re.compile(r"\s+")
_CONTENT_HINTS = re.compile(
    r"(?:^|[-_ ])(?:entry-content|post-content|text-editor|content)(?:[-_ ]|$)"
)
_WIDGET = re.compile(r"\S*widgets?\S*")
# Markup shown as text: a template that escaped its own tags ("<span id=…>…</span>").
_LEAKED_TAG = re.compile(r"</?[a-zA-Z][\w-]*(?:\s[^<>]*)?/?>|&[a-z]+;|^[^<>]*>|<[^<>]*$")
_PERMALINK = re.compile(r"\s*[#¶§]$")
_LABEL_DISPLAY = re.compile(r"\S*label-(?:hidden|inline|above|visually_hidden)\S*")
# The stems _PEOPLE_HINTS needs in a class or id (written in lower case, as CMSes write them),
# looked up by XPath (in C) before the regex runs.
_PEOPLE_STEMS = ("speaker", "presenter", "panel", "oplægsholder", "foredragsholder", "referent",
                 "föreläsare", "talare", "sprecher")  # fmt: skip
_PEOPLE_XPATH = etree.XPath(
    "//*[@class][" + " or ".join(f"contains(@class, '{s}')" for s in _PEOPLE_STEMS) + "]"
    " | //*[@id][" + " or ".join(f"contains(@id, '{s}')" for s in _PEOPLE_STEMS) + "]"
)
_PEOPLE_HINTS = re.compile(
    r"(?:^|[\W_])(?:speakers?|presenters?|panell?ists?|oplægsholdere?|foredragsholdere?|"
    r"referent(?:in|en)?|föreläsare|talare|sprecher(?:in)?)(?:$|[\W_])"
)


@dataclass
class Block:
    """One line of readable text and the element that holds it."""

    text: str
    tag: str
    el: HtmlElement
    hints: str = ""  # class and id words of the element and its near ancestors, lower case

    @property
    def level(self) -> int:
        """Heading level 1-6, or 0 for a non-heading."""
        return _HEADINGS.get(self.tag, 0)


@dataclass
class Page:
    """A parsed page: metadata, the main content's blocks, and every visible line."""

    root: HtmlElement
    main: HtmlElement
    html_lang: str | None = None
    head_title: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    source: str = ""  # the decoded HTML text the page was parsed from
    # Speaker cards outside the main content (a sidebar "Speaker" box), as blocks.
    side_people: list[Block] = field(default_factory=list)
    jsonld: list[str] = field(default_factory=list)
    # Info boxes outside the main content (an <aside> with "When:"/"Where:"), as blocks.
    side_facts: list[Block] = field(default_factory=list)
    _lines: list[str] | None = field(default=None, repr=False)

    @property
    def lines(self) -> list[str]:
        """Every visible line of the page, furniture included, read on first use: on pages of
        real weight this is the costliest walk of the tree, and most pages never need it."""
        if self._lines is None:
            self._lines = lines_of(self.root)
        return self._lines


def clean(text: str | None) -> str:
    """Collapse whitespace (incl. non-breaking spaces) and strip."""
    if not text:
        return ""
    return _SPACE.sub(" ", text.replace("\u00ad", "")).strip()


def _hints(el: HtmlElement) -> str:
    """Class and id of el, lower case."""
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower().strip()


def is_boilerplate(el: HtmlElement) -> bool:
    """True for furniture elements: navigation, footers, sidebars, cookie banners and the like."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _FURNITURE:
        return True
    if not el.attrib:
        return False  # most elements carry no attribute at all: nothing marks them
    if el.get("aria-hidden") == "true" or el.get("hidden") is not None:
        return el.get("role") != "tabpanel"  # a tab not shown yet is content all the same
    if el.get("role") in ("navigation", "banner", "contentinfo", "complementary", "search"):
        return True
    # Drupal marks every field whose label is not shown "field--label-hidden": the field itself
    # is visible content, so that class says nothing about furniture.
    raw = _hints(el)
    if not raw:
        return False
    hints = _LABEL_DISPLAY.sub(" ", raw) if "label-" in raw else raw
    if "widget" in hints and _CONTENT_HINTS.search(hints):
        # page builders call every block a widget ("elementor-widget-text-editor
        # entry-content"): a block that also says it holds the content is no furniture
        hints = _WIDGET.sub(" ", hints)
    return bool(hints.strip()) and bool(_BOILERPLATE.search(hints))


# lxml's plain element classes: lxml.html's per-element class lookup cost about a tenth of the
# extraction time on pages of real weight, and nothing here needs HtmlElement's extra methods.
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)


def text_of(el: HtmlElement) -> str:
    """All the text under an element, as lxml.html's text_content() would give it."""
    return "".join(el.itertext())


def parse(text: str) -> Page:
    """Parse HTML text into a Page (raises on input lxml cannot parse at all)."""
    root = lxml.html.document_fromstring(text, parser=_PARSER)
    page = Page(root=root, main=root, source=text)
    page.html_lang = (root.get("lang") or root.get("xml:lang") or "").strip() or None
    for el in root.iter("script"):
        if (el.get("type") or "").lower().strip() == "application/ld+json":
            page.jsonld.append(el.text or "")
    for el in root.iter("title"):
        page.head_title = clean(text_of(el)) or None
        break
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        if key and el.get("content") and key not in page.meta:
            page.meta[key] = clean(el.get("content"))
    page.main = _main_element(root)
    page.blocks = blocks_of(page.main, drop_furniture=True)
    low = text.lower()
    if any(stem in low for stem in _PEOPLE_STEMS):  # most pages have no speaker card
        page.side_people = _side_people(root, page.blocks)
    page.side_facts = _side_facts(root, page.blocks)
    return page


def _side_facts(root: HtmlElement, kept: list[Block]) -> list[Block]:
    """Blocks of sidebars and asides the main content left out, where event facts may sit."""
    kept_ids = {id(b.el) for b in kept}
    out: list[Block] = []
    for el in root.iter("aside"):
        if any(id(d) in kept_ids for d in el.iter()) or any(
            a.tag in ("aside", "nav", "footer") for a in el.iterancestors()
        ):
            continue
        out.extend(blocks_of(el, drop_furniture=False))
    return out


def _side_people(root: HtmlElement, kept: list[Block]) -> list[Block]:
    """Blocks of speaker cards that the main content left out (sidebars, asides)."""
    kept_ids = {id(b.el) for b in kept}
    out: list[Block] = []
    taken: list[HtmlElement] = []
    for el in _PEOPLE_XPATH(root):
        if not isinstance(el.tag, str) or not _PEOPLE_HINTS.search(_hints(el)):
            continue
        if any(t in el.iterancestors() for t in taken):
            continue
        if any(id(d) in kept_ids for d in el.iter()):
            continue  # already part of the main content
        taken.append(el)
        out.extend(blocks_of(el, drop_furniture=False))
    return out


def _main_element(root: HtmlElement) -> HtmlElement:
    """The element holding the page's main content (main, article, #content …, else body)."""
    candidates: list[HtmlElement] = []
    for xpath in (
        "//main",
        "//*[@role='main']",
        "//article[.//h1]",
        "//*[@id='main' or @id='content' or @id='main-content' or @id='maincontent']",
        "//article",
    ):
        candidates.extend(root.xpath(xpath))
    for el in candidates:
        if len(clean(text_of(el))) >= 80:
            return _with_headline(el)
    bodies = root.xpath("//body")
    return bodies[0] if bodies else root


def _with_headline(main: HtmlElement) -> HtmlElement:
    """The main element, or its parent or grandparent when the page's one <h1> sits beside it
    there: an event page's header section holds the headline and <main> only the body column.
    An <h1> inside the site's <header> or <nav> is the site's name and is left out; a
    <header> inside the content, beside the body column and holding no navigation, is the
    post's own header ("post-header" over "post-content")."""
    if main.tag == "body" or main.xpath(".//h1"):
        return main
    h1s = main.xpath("//h1")
    if not h1s:
        if main.xpath(".//h2"):
            return main  # a page with no h1: the main element holds its own h2 headline
        # else the page's first h2 outside menus plays the headline's part
        h1s = main.xpath("(//h2[not(ancestor::nav or ancestor::header)])[1]")
    if len(h1s) != 1 or h1s[0].xpath("ancestor::nav") or _in_site_header(h1s[0], main):
        return main
    for up in list(main.iterancestors())[:2]:
        if up.tag in ("body", "html"):
            break
        if h1s[0] in up.iterdescendants():
            return up
    return main


def _in_site_header(h1: HtmlElement, main: HtmlElement) -> bool:
    """True when the headline sits in a <header> of the site: one that holds a navigation, or
    that is not a sibling of the main element or of one of its ancestors."""
    headers = h1.xpath("ancestor::header")
    if not headers:
        return False
    header = headers[-1]
    if header.xpath(".//nav"):
        return True
    parent = header.getparent()
    return parent is None or parent.tag == "body" or parent not in main.iterancestors()


def lines_of(top: HtmlElement) -> list[str]:
    """The visible lines under top, furniture included (for "last updated" lines and years)."""
    lines: list[str] = []
    blocks_of(top, drop_furniture=False, into=lines)
    return lines


def blocks_of(
    top: HtmlElement, *, drop_furniture: bool, into: list[str] | None = None
) -> list[Block]:
    """The readable lines under top, one Block per block element's run of text or <br> line.

    With ``into``, only each line's text is appended there (no Blocks are built), which is what
    the whole page's lines need. Iterative (no recursion) so that pathologically deep documents
    cannot exhaust the stack.
    """
    out: list[Block] = []
    buf: list[str] = []
    open_blocks: list[HtmlElement] = [top]

    def flush() -> None:
        joined = "".join(buf)
        buf.clear()
        if not joined or joined.isspace():
            return  # most flushes, between nested blocks, hold no text at all
        text = clean(joined)
        if "<" in text or ">" in text:
            text = clean(_LEAKED_TAG.sub(" ", text))
        el = open_blocks[-1]
        if el.tag in _HEADINGS and text:  # a static site's permalink anchor after the words
            text = _PERMALINK.sub("", text)
        if text and into is not None:
            into.append(text)
        elif text:
            tag = el.tag if isinstance(el.tag, str) else "div"
            parent = el.getparent()
            hints = _hints(el) + (" " + _hints(parent) if parent is not None else "")
            out.append(Block(text=text, tag=tag, el=el, hints=hints))

    buf.append(top.text or "")
    stack: list[tuple[HtmlElement, bool]] = [(child, False) for child in reversed(list(top))]
    while stack:
        el, leaving = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""
        if leaving:
            if tag in _BLOCK:
                flush()
                open_blocks.pop()
            buf.append(el.tail or "")
            continue
        if not tag or tag in _INVISIBLE or (drop_furniture and _is_dropped(el, tag)):
            buf.append(el.tail or "")
            continue
        if tag == "br":
            flush()
            buf.append(el.tail or "")
            continue
        if tag in _BLOCK:
            flush()
            open_blocks.append(el)
        elif tag in ("td", "th", "span", "a", "b", "strong", "em", "i", "time", "label"):
            pass
        buf.append(el.text or "")
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(list(el)))
    flush()
    return out


def _is_dropped(el: HtmlElement, tag: str) -> bool:
    """Furniture to leave out of the main content, unless it holds the page's headline."""
    if tag == "header":  # the site's header, unless it holds the headline or is a post's
        # own: headings and no navigation (menus are lists of links)
        return not el.xpath(".//h1 | self::*[not(.//nav or .//ul or .//ol)][.//h2 or .//h3]")
    if not is_boilerplate(el):
        return False
    return not el.xpath(".//h1")


def element_text(el: HtmlElement) -> str:
    """An element's visible text, whitespace collapsed, scripts and styles left out."""
    return " ".join(b.text for b in blocks_of(el, drop_furniture=False))


def to_string(el: HtmlElement) -> str:
    """Serialise an element (for debugging and tests)."""
    return etree.tostring(el, encoding="unicode")
