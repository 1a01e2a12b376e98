"""Template tags for published content: the right language, marked where it fell back."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ..languages import Localized
from ..presenter import PublicResponse

register = template.Library()


def _render(value: Localized, doc: PublicResponse, html: SafeString | str, tag: str) -> SafeString:
    if not value.text:
        return SafeString("")
    marker = SafeString("")
    if value.fell_back and doc.mark_gaps:
        marker = format_html(
            ' <span class="untranslated">{}</span>', _("Translation not available")
        )
    if value.lang == doc.language:
        return (
            format_html("<{0}>{1}</{0}>{2}", tag, html, marker)
            if tag != "span"
            else (format_html("{}{}", html, marker))
        )
    return format_html('<{0} lang="{1}">{2}</{0}>{3}', tag, value.lang, html, marker)


@register.simple_tag
def content(value: Localized, doc: PublicResponse) -> SafeString:
    """VALUE inline, with a lang attribute when it is not in the page's language."""
    return _render(value, doc, value.text, "span")


@register.simple_tag
def content_block(value: Localized, doc: PublicResponse) -> SafeString:
    """VALUE as paragraphs."""
    return _render(value, doc, linebreaks_filter(value.text, autoescape=True), "div")
