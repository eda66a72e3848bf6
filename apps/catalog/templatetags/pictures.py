"""Pictures of catalogue products: the group's illustration when a product has no photo yet."""

from dataclasses import dataclass

from django import template
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

register = template.Library()

# One illustration per product group, named by the group's code: static/img/groups/<code>.svg.
ILLUSTRATION_ALTS = {
    "TP": _("Illustration of a food product"),
    "DU": _("Illustration of a drink"),
    "DL": _("Illustration of a herbal product"),
    "TC": _("Illustration of a handicraft"),
    "SV": _("Illustration of an ornamental plant or animal"),
    "DV": _("Illustration of a community tourism service"),
}
PLACEHOLDER = "img/product-placeholder.svg"


@dataclass(frozen=True)
class Illustration:
    src: str
    alt: str


def illustration_for(code):
    if code not in ILLUSTRATION_ALTS:
        return Illustration(src=static(PLACEHOLDER), alt="")
    return Illustration(src=static(f"img/groups/{code}.svg"), alt=str(ILLUSTRATION_ALTS[code]))


@register.simple_tag
def group_illustration(entry):
    """The illustration of a catalogue entry's group (the selectors load the group with the entry)."""
    return illustration_for(entry.group.code)
