from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination, LimitOffsetPagination
from rest_framework.request import Request


def _number_asked(request: Request, name: str, *, default: int, smallest: int, largest: int) -> int:
    """The whole number given as ?NAME=, at most LARGEST; a 400 naming NAME when it is not a
    whole number of at least SMALLEST (DRF would quietly use the default instead)."""
    given = request.query_params.get(name)
    if given is None or given == "":
        return default
    try:
        number = int(given)
    except ValueError:
        number = smallest - 1
    if number < smallest:
        raise ValidationError(
            {name: [_("Give a whole number of at least %(smallest)s.") % {"smallest": smallest}]}
        )
    return min(number, largest)


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=`; answers carry `count`, `next`, `previous` and `results`."""

    default_limit = 50
    max_limit = 500

    def get_limit(self, request: Request) -> int:
        return _number_asked(
            request, self.limit_query_param, default=self.default_limit, smallest=1,
            largest=self.max_limit,
        )  # fmt: skip

    def get_offset(self, request: Request) -> int:
        return _number_asked(request, self.offset_query_param, default=0, smallest=0, largest=2**62)


class LogPagination(CursorPagination):
    """`?limit=&cursor=`; answers carry `next`, `previous` and `results`, and no `count`.

    For lists that only grow, by the million (progress updates): counting every row and
    skipping OFFSET rows cost time in proportion to the whole list on every page, while a
    cursor resumes after the last row seen. It also neither repeats nor skips a row when new
    ones arrive between two pages."""

    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int:
        return _number_asked(
            request, self.page_size_query_param, default=self.page_size, smallest=1,
            largest=self.max_page_size,
        )  # fmt: skip

    def get_ordering(
        self, request: Request, queryset: QuerySet[Any], view: Any = None
    ) -> tuple[str, ...]:
        # The list view has already ordered the rows as the caller asked (?ordering=),
        # ending with the id, so the cursor follows that order.
        return tuple(str(field) for field in queryset.query.order_by)

    def decode_cursor(self, request: Request) -> Cursor | None:
        # A cursor that does not decode is a malformed query, like a bad filter: 400 naming
        # the parameter, rather than DRF's 404.
        try:
            return super().decode_cursor(request)  # type: ignore[no-any-return]
        except NotFound as exc:
            raise ValidationError(
                {self.cursor_query_param: [_("This cursor is not one this list gave out.")]}
            ) from exc
