"""Calendar feeds (RFC 5545): one all-day event per action on its current due date."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

import icalendar
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from uptake.evaluations.models import Action

from . import selectors
from .models import CalendarFeed


def feed_name(feed: CalendarFeed) -> str:
    if feed.unit is not None:
        return _("Uptake: target dates of %(unit)s") % {"unit": feed.unit.code}
    return _("Uptake: target dates of %(person)s's units") % {"person": feed.user}


def action_event(
    action: Action, due: datetime.date, *, base_url: str, host: str, stamp: datetime.datetime
) -> icalendar.Event:
    """The action's current due date as an all-day event. Its UID depends only on the action,
    so a calendar moves the event when the date is revised instead of adding another."""
    unit = action.unit
    text = Truncator(" ".join(action.text.split())).chars(90)
    if action.has_revised_date:
        summary = _("%(unit)s: due (revised): %(action)s") % {"unit": unit.code, "action": text}
        written = _("%(original)s, revised to %(revised)s") % {
            "original": action.target_date_text,
            "revised": action.revised_target_text,
        }
    else:
        summary = _("%(unit)s: due: %(action)s") % {"unit": unit.code, "action": text}
        written = action.target_date_text
    recommendation = action.response.recommendation
    url = base_url + action.get_absolute_url()
    description = "\n".join(
        [
            action.text,
            "",
            _("Evaluation: %(title)s") % {"title": recommendation.evaluation.title_en},
            _("Recommendation %(number)s") % {"number": recommendation.number},
            _("Target date: %(date)s") % {"date": written},
            _("Status: %(status)s") % {"status": action.get_status_display()},
            url,
        ]
    )
    event = icalendar.Event()
    event.add("uid", f"action-{action.pk}-due@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", due)
    event.add("dtend", due + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    # Revising the date or the status bumps the action's version: calendars take the change.
    event.add("sequence", action.version)
    event.add("transp", "TRANSPARENT")
    return event


def feed_ics(feed: CalendarFeed, *, base_url: str) -> bytes:
    """The whole feed as iCalendar text; the number of queries does not grow with actions."""
    base_url = base_url.rstrip("/")
    host = urlsplit(base_url).hostname or "uptake"
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Uptake//Target dates//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", feed_name(feed))
    for action in selectors.calendar_feed_actions(feed):
        if action.due_date is not None:
            calendar.add_component(
                action_event(action, action.due_date, base_url=base_url, host=host, stamp=stamp)
            )
    return bytes(calendar.to_ical())
