"""Publications: each time a management response is made public, what exactly was shown.

A publication is a frozen snapshot. Public pages and files read only the snapshot of an
evaluation's latest publication, and only while it is not withdrawn, so later edits, drafts and
withdrawn versions never reach the public.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Publication(models.Model):
    evaluation = models.ForeignKey(
        "evaluations.Evaluation",
        verbose_name=_("evaluation"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    version = models.PositiveIntegerField(_("version"))
    # The address of the public page; kept from one version to the next.
    slug = models.SlugField(_("address"), max_length=100)
    languages = models.JSONField(_("languages"), default=list)
    show_status = models.BooleanField(_("shows implementation status"), default=False)
    status_as_of = models.DateField(_("status as of"), null=True, blank=True)
    snapshot = models.JSONField(_("published content"))
    # Copies of what the public list searches and filters on, taken from the snapshot.
    title_en = models.CharField(_("title (English)"), max_length=500)
    title_fr = models.CharField(_("title (French)"), max_length=500, blank=True)
    program = models.CharField(_("program or country"), max_length=300, blank=True)
    program_fr = models.CharField(_("program or country (French)"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    unit_codes = models.CharField(max_length=1000, blank=True)  # " HWP QTO-DA "
    search_text = models.TextField(blank=True)  # both languages, folded (core.search)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unpublished_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    unpublished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    unpublish_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        ordering = ["evaluation", "-version"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        indexes = [models.Index(fields=["slug"])]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "version"], name="publication_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(unpublished_at__isnull=True, unpublished_by__isnull=True)
                | models.Q(unpublished_at__isnull=False, unpublished_by__isnull=False),
                name="publication_withdrawn_with_who",
            ),
            models.CheckConstraint(
                condition=models.Q(show_status=False) | models.Q(status_as_of__isnull=False),
                name="publication_status_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title_en} (v{self.version})"

    @property
    def is_withdrawn(self) -> bool:
        return self.unpublished_at is not None
