"""``{% submit_token %}``: a hidden one-time token so that a double-clicked "create" makes one row."""

import uuid

from django import template
from django.utils.html import format_html

from apps.core.idempotency import TOKEN_FIELD

register = template.Library()


@register.simple_tag
def submit_token():
    return format_html('<input type="hidden" name="{}" value="{}">', TOKEN_FIELD, uuid.uuid4().hex)
