"""Administrative units: one tree for both editions, identified by edition + level + code."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.text import fold

from .enums import DivisionType, Edition, Level


def _core_name(name):
    """A province's name without its division type and diacritics: "Tỉnh Kon Tum" → "kon tum"."""
    folded = fold(name)
    for prefix in ("thanh pho ", "tinh "):
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


class AdministrativeUnit(models.Model):
    edition = models.CharField(_("edition"), max_length=4, choices=Edition.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(_("official code"), max_length=5)
    name = models.CharField(_("name"), max_length=120)
    division_type = models.CharField(_("division type"), max_length=16, choices=DivisionType.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path "<edition>/<province>/[<district>/]<commune>/": a subtree is a prefix match.
    path = models.CharField(max_length=40, unique=True, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # A pre-July-2025 province points at the 2025 province it became part of (Resolution 202/2025/QH15), and a
    # pre-2025 commune at the 2025 commune it became part of (for a commune split between several: the default
    # one, every candidate in ``SuccessorCandidate``), so the new unit's staff cover the records that still point
    # at the old one; a split commune's records stay with the province until one is assigned (``split_on_reform``).
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor since 1 July 2025"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    split_on_reform = models.BooleanField(_("split between several 2025 communes"), default=False)
    # A representative point (WGS 84), from the vietnamadminunits data; drawn on the server-rendered maps.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "level", "code"], name="geo_unit_unique_edition_level_code"),
            models.CheckConstraint(
                condition=Q(level=Level.PROVINCE, parent__isnull=True)
                | (~Q(level=Level.PROVINCE) & Q(parent__isnull=False)),
                name="geo_unit_only_provinces_are_roots",
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True)
                | Q(edition=Edition.THREE_TIER_2024, level__in=[Level.PROVINCE, Level.COMMUNE]),
                name="geo_unit_only_old_provinces_communes_have_successors",
            ),
            models.CheckConstraint(
                condition=Q(split_on_reform=False) | Q(edition=Edition.THREE_TIER_2024, level=Level.COMMUNE),
                name="geo_unit_only_old_communes_split",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lte=models.F("valid_until")),
                name="geo_unit_validity_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["path"], name="geo_unit_path_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["edition", "level", "name"], name="geo_unit_edition_level_name"),
        ]

    def __str__(self):
        return self.name

    @staticmethod
    def build_path(edition, *codes):
        return "/".join([str(edition), *codes]) + "/"

    @property
    def jurisdiction_unit(self):
        return self

    @property
    def wholly_merged(self):
        """A pre-2025 commune that became part of exactly one 2025 commune (its staff take the records over)."""
        return self.level == Level.COMMUNE and self.successor_id is not None and not self.split_on_reform

    @property
    def now_part_of(self):
        """For a pre-2025 province merged into another: the 2025 province it is now part of (else None).

        A province that simply carried on under the new list (old Quảng Ninh → Quảng Ninh) gives None.
        """
        successor = self.successor if self.successor_id else None
        if successor is None or _core_name(successor.name) == _core_name(self.name):
            return None
        return successor

    def covers(self, other):
        """True when ``other`` is this unit or lies below it."""
        return other is not None and other.path.startswith(self.path)

    @property
    def path_prefixes(self):
        """The paths of the units from this unit's province down to this unit itself, province first.

        A 2024 commune "2024/22/193/06656/" gives its province, district and own path; a 2025 commune
        "2025/22/06656/" its province and own path; a province only its own.
        """
        return self.prefixes_of(self.path)

    @staticmethod
    def prefixes_of(path):
        """:attr:`path_prefixes` of a unit known only by its path (a row read with ``values()``)."""
        edition, *codes = path.strip("/").split("/")
        return [AdministrativeUnit.build_path(edition, *codes[: i + 1]) for i in range(len(codes))]

    @property
    def province_path(self):
        """The path of the province this unit lies in (its own when it is a province)."""
        return self.path_prefixes[0]

    @property
    def province_code(self):
        """The official code of the province this unit lies in (in this unit's edition)."""
        return self.path.split("/")[1]

    def ancestors(self):
        """Units above this one, province first (one query)."""
        return AdministrativeUnit.objects.filter(path__in=self.path_prefixes[:-1]).order_by("path")

    def descendants(self, include_self=False):
        qs = AdministrativeUnit.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)


class SuccessorCandidate(models.Model):
    """One of the 2025 communes a pre-2025 commune was split between (only split communes have rows here)."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("pre-2025 commune"), on_delete=models.CASCADE, related_name="candidates"
    )
    candidate = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("2025 commune"), on_delete=models.CASCADE, related_name="+"
    )
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        verbose_name = _("successor candidate")
        verbose_name_plural = _("successor candidates")
        ordering = ["unit", "-is_default", "candidate__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "candidate"], name="geo_candidate_unique"),
            models.UniqueConstraint(fields=["unit"], condition=Q(is_default=True), name="geo_candidate_one_default"),
        ]

    def __str__(self):
        return f"{self.unit} → {self.candidate}"
