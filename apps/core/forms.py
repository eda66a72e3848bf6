"""Form helpers shared by every app's views."""

from django import forms
from django.core.exceptions import ValidationError

from .text import clean_text


def add_service_errors(form, exc):
    """Show a service's ValidationError on the form: on the fields it names, else on the form as a whole."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class CleanTextMixin:
    """Every text field of the form goes through :func:`apps.core.text.clean_text` (NFC, no control or bidi
    characters, something visible); a Textarea keeps its line breaks. Put it first among the form's bases."""

    def _clean_fields(self):
        super()._clean_fields()
        for name, value in list(self.cleaned_data.items()):
            field = self.fields.get(name)
            if not isinstance(value, str) or not isinstance(field, forms.CharField):
                continue
            try:
                self.cleaned_data[name] = clean_text(value, multiline=isinstance(field.widget, forms.Textarea))
            except ValidationError as exc:
                self.add_error(name, exc)


class CriterionChoicesForm(forms.Form):
    """A score sheet as radio groups: one field ``c<criterion id>`` per criterion of ``parts`` (part → groups →
    criteria → options, prefetched), whose values are option ids (the scoring service checks them again).
    ``chosen`` maps criterion ids to the option ids already chosen. Used by the applicant's self-assessment and by
    a council member's sheet, which differ only in how an option reads (:meth:`option_label`)."""

    def __init__(self, *args, parts, chosen, **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = parts
        for part in parts:
            for group in part.groups.all():
                for criterion in group.criteria.all():
                    self.fields[f"c{criterion.pk}"] = forms.TypedChoiceField(
                        label=f"{criterion.code}. {criterion.text}",
                        choices=[(o.pk, self.option_label(o)) for o in criterion.options.all()],
                        coerce=int,
                        required=False,
                        widget=forms.RadioSelect,
                        initial=chosen.get(criterion.pk),
                    )

    def option_label(self, option):
        return option.text

    def choices(self):
        """``{criterion id: option id}`` of the criteria answered."""
        return {int(name[1:]): value for name, value in self.cleaned_data.items() if name.startswith("c") and value}
