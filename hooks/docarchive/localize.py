"""One edition's view of the archive: each translatable field in the edition's language.

The model holds the English and, beside it, the Chinese (``Archive.translations``).
A ``Localizer`` picks the edition's text for templates and page plans; where the
Chinese is missing it falls back to the English, which the reader sees marked
("(English)") and which carries ``lang="en"`` so that screen readers and fonts
treat it as English.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from . import messages
from .dates import PartialDate
from .model import Archive, ArchiveInfo, Event, Figure, Organization, Person, Photo, Place, Source, Stage, Story

KINDS = {ArchiveInfo: "archive", Stage: "stage", Story: "story", Photo: "photo", Event: "event", Figure: "figure", Person: "person",
         Place: "place", Organization: "organization"}


def kind_of(obj) -> str:
    return KINDS.get(type(obj), "")


class Localizer:
    def __init__(self, lang: str, archive: Archive | None):
        self.lang = lang
        self.translations = archive.translations if archive is not None else None
        self.gettext = messages.gettext(lang)

    @property
    def is_english(self) -> bool:
        return self.lang == "en"

    def chinese(self, obj, name: str) -> str:
        kind = kind_of(obj)
        key = obj.slug if kind == "story" else getattr(obj, "id", "")
        return self.translations.text(kind, key, name) if self.translations and kind else ""

    def is_fallback(self, obj, name: str) -> bool:
        """True when this edition shows the English of the field because its translation is missing."""
        return not self.is_english and bool(getattr(obj, name, "")) and not self.chinese(obj, name)

    def text(self, obj, name: str) -> str:
        """The field in this edition's language, else the English: plain text, for attributes and titles."""
        english = getattr(obj, name, "")
        if self.is_english:
            return english
        return self.chinese(obj, name) or english

    def html(self, obj, name: str) -> Markup:
        """The field for reading: escaped, and marked when it is the English standing in for a translation."""
        if not self.is_fallback(obj, name):
            return escape(self.text(obj, name))
        return fallback_inline(getattr(obj, name), self.gettext("(English)"))

    def date(self, date: PartialDate) -> str:
        return messages.date_label(date, self.lang)

    def qualifier(self, figure: Figure) -> str:
        return self.gettext(figure.qualifier_text) if figure.qualifier_text else ""

    def publication(self, source: Source) -> str:
        """Where a source was published, in this edition's language when the record gives it."""
        return source.publication_zh if not self.is_english and source.publication_zh else source.publication

    def citation(self, source: Source) -> str:
        """A source's short citation: the English one (model.Source.citation), or in Chinese the order of
        GB/T 7714 with the publication's Chinese name; titles and names as the record spells them."""
        if self.is_english:
            return source.citation
        title = source.title_zh or source.title
        text = f"{', '.join(source.authors)}. {title}. {self.publication(source)}, {self.date(source.date)}."
        if source.editor:
            text += " " + self.gettext("Editor in charge: %(editor)s.") % {"editor": source.editor}
        return text

    def story_body(self, story: Story) -> tuple[str, bool]:
        """The story's Markdown in this edition, and whether it is the English standing in."""
        if self.is_english:
            return story.body, False
        body = self.translations.story_body(story.slug) if self.translations else ""
        return (body, False) if body else (story.body, True)


def fallback_inline(english: str, mark: str) -> Markup:
    return Markup('<span class="da-untranslated" lang="en">{}</span><span class="da-untranslated__mark">{}</span>'
                  ).format(english, mark)


def fallback_block(html: str, note: str, note_lang: str) -> str:
    """A block of English standing in for its translation: a visible note (in ``note_lang``), then the English."""
    return (f'<div class="da-untranslated-block" lang="en"><p class="da-untranslated__note" lang="{note_lang}">'
            f'{escape(note)}</p>\n{html}\n</div>')
