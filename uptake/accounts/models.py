"""People, their roles, and the organisational units that answer for actions."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth import models as auth_models
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def language_choices() -> list[tuple[str, str]]:
    """The interface's languages, each named in itself ("Français"), as the switch names them."""
    return [
        (code, capfirst(get_language_info(code)["name_local"]))
        for code, _name in settings.LANGUAGES
    ]


def is_offered_language(code: str) -> bool:
    """True when CODE is one of the interface's languages."""
    return code in dict(language_choices())


class Role(models.TextChoices):
    ADMINISTRATOR = "admin", _("Administrator")
    EVALUATION_UNIT = "evaluation_unit", _("Evaluation unit")
    COMMITTEE = "committee", _("Committee")
    FOCAL_POINT = "focal_point", _("Unit focal point")
    VIEWER = "viewer", _("Viewer")


class UnitKind(models.TextChoices):
    BRANCH = "branch", _("Branch")
    BUREAU = "bureau", _("Bureau")
    DIVISION = "division", _("Division")
    MISSION = "mission", _("Mission")
    PROGRAM = "program", _("Program")
    OTHER = "other", _("Other")


class Unit(models.Model):
    """An organisational unit that can be named as a responsibility centre."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=300)
    name_fr = models.CharField(_("name (French)"), max_length=300, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.OTHER
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(Lower("code"), name="unit_code_unique_ci"),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="unit_not_its_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_en} ({self.code})"

    @property
    def name(self) -> str:
        return self.name_en


class UserManager(auth_models.UserManager["User"]):
    """Django's, with superusers made administrators: their role says what they may do."""

    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("role", Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """A person who signs in. Their role says what they may do; units scope a focal point."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("units"),
        blank=True,
        related_name="members",
        help_text=_("A focal point may update the actions of these units and their sub-units."),
    )
    # Blank until the person chooses: their e-mails are then in the site's language.
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=language_choices,
        help_text=_("The language of this person's e-mails, and of the pages when they sign in."),
    )

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == Role.ADMINISTRATOR

    @property
    def is_evaluation_unit(self) -> bool:
        return self.is_administrator or self.role == Role.EVALUATION_UNIT

    @property
    def is_committee(self) -> bool:
        return self.is_administrator or self.role == Role.COMMITTEE

    @property
    def is_focal_point(self) -> bool:
        return self.role == Role.FOCAL_POINT
