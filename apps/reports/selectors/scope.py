"""Where a report looks: one administrative unit (either edition) or the whole country, and its child rows.

Every figure is grouped in the database by a *row key* computed from the path of the unit a record belongs to:
the path cut at the first "/" after the scope's own path, i.e. the path of the child unit that contains the
record (or the scope's own path for a record attached to the scope unit itself). Records of a pre-2025
province that became part of a 2025 province are keyed by the old province's path, so a 2025 province's table
has one row per commune, one row per old province it took over, and the total is the sum of the rows.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import StrIndex, Substr
from django.utils.translation import gettext as _

from apps.geo.enums import Edition, Level
from apps.geo.models import AdministrativeUnit

PROVINCE_PATH_LENGTH = len("2024/62/")


@dataclass
class Row:
    key: str
    label: str
    unit: AdministrativeUnit | None
    kind: str  # "child", "self", "predecessor"


@dataclass
class Scope:
    unit: AdministrativeUnit | None
    edition: str = Edition.TWO_TIER_2025
    rows: list[Row] = field(default_factory=list)
    # Row key of grouped data → key of the row it counts in (an old province → its 2025 successor, nationally).
    key_map: dict[str, str] = field(default_factory=dict)
    predecessor_paths: tuple[str, ...] = ()

    @property
    def is_national(self) -> bool:
        return self.unit is None

    @property
    def name(self) -> Any:
        return self.unit.name if self.unit else _("Whole country")

    def condition(self, path_field: str) -> Q:
        """``Q`` selecting the records whose unit lies in the scope."""
        if self.unit is None:
            if self.edition == Edition.TWO_TIER_2025:
                return Q()
            return Q(**{f"{path_field}__startswith": f"{self.edition}/"})
        condition = Q(**{f"{path_field}__startswith": self.unit.path})
        for path in self.predecessor_paths:
            condition |= Q(**{f"{path_field}__startswith": path})
        return condition

    def key_expression(self, path_field: str) -> Any:
        if self.unit is None:
            return Substr(F(path_field), 1, PROVINCE_PATH_LENGTH)
        own = len(self.unit.path)
        # The part after our own path, up to and including its first "/": the child's code.
        rest = Substr(F(path_field), own + 1)
        child = Case(
            When(**{f"{path_field}": self.unit.path}, then=Value(self.unit.path)),
            default=Substr(F(path_field), 1, own + StrIndex(rest, Value("/"))),
        )
        if not self.predecessor_paths:
            return child
        return Case(
            When(**{f"{path_field}__startswith": self.unit.path}, then=child),
            default=Substr(F(path_field), 1, PROVINCE_PATH_LENGTH),
        )

    def row_key(self, data_key: str) -> str:
        return self.key_map.get(data_key, data_key)


def scope_for(unit: AdministrativeUnit | None = None, edition: str = Edition.TWO_TIER_2025) -> Scope:
    """The scope of ``unit`` (or the whole country, rows by province of ``edition``) with its rows (≤ 3 queries)."""
    scope = Scope(unit=unit, edition=unit.edition if unit else edition)
    if unit is None:
        provinces = AdministrativeUnit.objects.filter(edition=edition, level=Level.PROVINCE).order_by("code")
        scope.rows = [Row(p.path, p.name, p, "child") for p in provinces]
        if edition == Edition.TWO_TIER_2025:
            old = AdministrativeUnit.objects.filter(
                edition=Edition.THREE_TIER_2024, level=Level.PROVINCE, successor__isnull=False
            ).values_list("path", "successor__path")
            scope.key_map = dict(old)
        return scope
    children = AdministrativeUnit.objects.filter(parent=unit).order_by("code")
    scope.rows = [Row(c.path, c.name, c, "child") for c in children]
    if unit.level == Level.PROVINCE and unit.edition == Edition.TWO_TIER_2025:
        predecessors = list(unit.predecessors.order_by("code"))
        scope.predecessor_paths = tuple(p.path for p in predecessors)
        scope.rows += [
            Row(p.path, _("%(name)s (before 1 July 2025)") % {"name": p.name}, p, "predecessor") for p in predecessors
        ]
    own_label = unit.name if unit.level == Level.COMMUNE else _("%(name)s (own level)") % {"name": unit.name}
    scope.rows.insert(0, Row(unit.path, own_label, unit, "self"))
    return scope
