"""Users log in by e-mail; every role but the national ones is bound to one administrative unit."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.audit.history import history_of

from .enums import ROLE_LEVELS, Role


class OcopUserManager(UserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("E-mail is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, role=Role.SYSTEM_ADMIN)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("administrative unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    invited_by = models.ForeignKey(
        "self", verbose_name=_("invited by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]
    objects = OcopUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[Role.CENTRAL_OFFICER, Role.SYSTEM_ADMIN]) | Q(unit__isnull=False),
                name="accounts_user_scoped_roles_have_unit",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.CENTRAL_OFFICER) | Q(unit__isnull=True),
                name="accounts_user_central_is_national",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    def clean(self):
        super().clean()
        allowed = ROLE_LEVELS.get(self.role, set())
        level = self.unit.level if self.unit_id else None
        if level not in allowed:
            raise ValidationError({"unit": _("This role cannot be bound to a unit of this level.")})

    @property
    def jurisdiction_unit(self):
        return self.unit

    @property
    def is_national(self):
        return self.role in (Role.CENTRAL_OFFICER, Role.SYSTEM_ADMIN) and self.unit_id is None

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.get_full_name()


# --- Row history (apps/audit/history.py): the event tables live in audit


class UserEvent(
    history_of(User, fields=["email", "full_name", "role", "unit", "is_active", "is_staff", "is_superuser"])
):
    pass
