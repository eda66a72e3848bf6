"""What one shared page template needs to know about the record it shows, built by the view.

``layouts/record_form.html`` is the page of every form that registers or edits one record (producer, product, point
of sale, fair): the title, the breadcrumbs back to the list and to the record, and where "Cancel" goes.
"""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class RecordFormPage:
    title: str | Promise
    list_label: str | Promise
    list_url: str
    record: Any = None
    detail_url: str = ""

    @property
    def cancel_url(self) -> str:
        return self.detail_url or self.list_url


@dataclass(frozen=True)
class RecordForms:
    """The create and edit pages of one kind of record, whose URLs are named ``<url_prefix>_list`` and
    ``<url_prefix>_detail`` (e.g. ``producers:producer``)."""

    url_prefix: str
    new_title: str | Promise
    edit_title: str | Promise
    list_label: str | Promise

    def page(self, record: Any = None) -> RecordFormPage:
        """The page of the create form (no ``record``) or of the edit form of ``record``."""
        return RecordFormPage(
            title=self.new_title if record is None else self.edit_title,
            list_label=self.list_label,
            list_url=reverse(f"{self.url_prefix}_list"),
            record=record,
            detail_url="" if record is None else reverse(f"{self.url_prefix}_detail", args=[record.pk]),
        )
