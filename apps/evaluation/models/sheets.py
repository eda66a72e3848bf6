"""Score sheets as data: template → part → criteria group → criterion → option."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.enums import RuleSet, Stars


class SheetTemplate(models.Model):
    code = models.SlugField(_("code"), max_length=64)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    rule_set = models.CharField(_("rule set"), max_length=16, choices=RuleSet.choices)
    label = models.CharField(_("label"), max_length=255)
    is_sample = models.BooleanField(_("sample sheet"), default=False)
    product_sets = models.ManyToManyField(
        "products.ProductSet", verbose_name=_("product sets"), related_name="sheet_templates"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("score sheet template")
        verbose_name_plural = _("score sheet templates")
        ordering = ["rule_set", "code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="evaluation_sheet_code_version")]

    def __str__(self):
        sample = " (MẪU)" if self.is_sample else ""
        return f"{self.label} v{self.version}{sample}"


class SheetPart(models.Model):
    template = models.ForeignKey(SheetTemplate, on_delete=models.CASCADE, related_name="parts")
    code = models.CharField(_("code"), max_length=4)
    title = models.CharField(_("title"), max_length=255)
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("sheet part")
        verbose_name_plural = _("sheet parts")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="evaluation_part_code"),
            models.CheckConstraint(
                condition=Q(max_points__gt=0, max_points__lte=100), name="evaluation_part_max_range"
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.title}"


class CriterionGroup(models.Model):
    part = models.ForeignKey(SheetPart, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("code"), max_length=16)
    title = models.CharField(_("title"), max_length=255)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criteria group")
        verbose_name_plural = _("criteria groups")
        ordering = ["order", "code"]

    def __str__(self):
        return f"{self.code}. {self.title}"


class Criterion(models.Model):
    template = models.ForeignKey(SheetTemplate, on_delete=models.CASCADE, related_name="criteria")
    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=16)
    text = models.TextField(_("criterion"))
    # A product missing this criterion cannot get this star level (nor any above it).
    mandatory_for_stars = models.PositiveSmallIntegerField(
        _("mandatory for star level"), null=True, blank=True, choices=Stars.choices
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="evaluation_criterion_code"),
            models.CheckConstraint(
                condition=Q(mandatory_for_stars__isnull=True)
                | Q(mandatory_for_stars__gte=2, mandatory_for_stars__lte=5),
                name="evaluation_criterion_mandatory_level",
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.text[:60]}"


class Option(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("code"), max_length=8)
    text = models.TextField(_("option"))
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["order", "points"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "code"], name="evaluation_option_code"),
            models.CheckConstraint(condition=Q(points__gte=0, points__lte=40), name="evaluation_option_points_range"),
        ]

    def __str__(self):
        return f"{self.code}. {self.text[:40]} ({self.points})"


# ---------------------------------------------------------------------------------------------------------
