from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from uptake.accounts.models import Unit

register = template.Library()


@register.simple_tag
def unit_datalist() -> SafeString:
    """Suggestions for unit fields: the browser offers codes and names as the person types."""
    units = Unit.objects.filter(active=True).order_by("code").values_list("code", "name_en")
    options = format_html_join("", '<option value="{}">{}</option>', units)
    return format_html('<datalist id="unit-options">{}</datalist>', options)
