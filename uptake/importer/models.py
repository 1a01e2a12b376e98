"""An upload waiting for review: the parsed structure and the text it came from.

Nothing of the evaluation is saved until the reviewer confirms; this row holds the upload
between the two pages and is removed once imported (or after a week).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    parsed = models.JSONField(_("parsed structure"))
    source_text = models.TextField(_("source text"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import awaiting review")
        verbose_name_plural = _("imports awaiting review")

    def __str__(self) -> str:
        return self.file_name

    @property
    def source_lines(self) -> list[str]:
        return self.source_text.split("\n")
