"""Recognition: the decision listing products and their stars, and the products it did not recognise."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.enums import LOWEST_RECOGNISED_STARS, RuleSet, Stars

from .rounds import EvaluationRound, RoundEntry


class RecognitionDecision(models.Model):
    """A People's Committee decision (quyết định công nhận) listing products and their stars."""

    number = models.CharField(_("decision number"), max_length=64)
    date = models.DateField(_("decision date"))
    issuing_unit = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="+"
    )
    issuer_name = models.CharField(_("issuing People's Committee"), max_length=255)
    signer_title = models.CharField(_("signer's title"), max_length=255)
    signer_name = models.CharField(_("signer's name"), max_length=255)
    rule_set = models.CharField(_("rule set"), max_length=16, choices=RuleSet.choices)
    round = models.ForeignKey(
        EvaluationRound,
        verbose_name=_("evaluation round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recognition decision")
        verbose_name_plural = _("recognition decisions")
        ordering = ["-date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issuing_unit", "number"], name="evaluation_decision_unique_number")
        ]

    def __str__(self):
        return self.number

    @property
    def jurisdiction_unit(self):
        return self.issuing_unit


class RecognitionItem(models.Model):
    decision = models.ForeignKey(RecognitionDecision, on_delete=models.PROTECT, related_name="items")
    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, related_name="recognitions")
    application = models.ForeignKey(
        "cycles.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="recognitions"
    )
    stars = models.PositiveSmallIntegerField(_("stars"), choices=Stars.choices)
    total_score = models.DecimalField(_("total score"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("recognised product")
        verbose_name_plural = _("recognised products")
        constraints = [
            models.UniqueConstraint(fields=["decision", "product"], name="evaluation_item_once_per_decision"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=LOWEST_RECOGNISED_STARS, stars__lte=Stars.FIVE),
                name="evaluation_item_recognised_stars",
            ),
            models.CheckConstraint(
                condition=models.Q(total_score__gte=0, total_score__lte=100), name="evaluation_item_score_range"
            ),
        ]

    def __str__(self):
        return f"{self.product} — {self.stars}★"

    @property
    def jurisdiction_unit(self):
        return self.product.commune


class NonRecognition(models.Model):
    """A product of a decided round that got no recognition, and why (told to the producer)."""

    decision = models.ForeignKey(RecognitionDecision, on_delete=models.CASCADE, related_name="refusals")
    entry = models.ForeignKey(RoundEntry, on_delete=models.PROTECT, related_name="refusals")
    total_score = models.DecimalField(_("total score"), max_digits=5, decimal_places=2)
    reason = models.TextField(_("reason"), max_length=2000, validators=[MaxLengthValidator(2000)])

    class Meta:
        verbose_name = _("product not recognised")
        verbose_name_plural = _("products not recognised")
        constraints = [models.UniqueConstraint(fields=["decision", "entry"], name="evaluation_refusal_once")]

    def __str__(self):
        return f"{self.entry} — {self.reason[:40]}"
