"""Abstract models shared by the domain apps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.db import models

from .search import folded_fields


class SearchableModel(models.Model):
    """A model whose SEARCHED_FIELDS are searched through a folded copy, `search_text`.

    The copy is derived data that every write must keep exact, whoever writes (services,
    the importer, the admin, a history revert), so it is refreshed in `save()`: the one place
    all of them pass through. Writers that bypass `save()` (`bulk_create` in `uptake
    generate`) call `refresh_search_text()` themselves; `test_search.py` checks every
    path.
    """

    SEARCHED_FIELDS: ClassVar[Sequence[str]] = ()

    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.SEARCHED_FIELDS):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def refresh_search_text(self) -> None:
        self.search_text = folded_fields(getattr(self, name) for name in self.SEARCHED_FIELDS)
