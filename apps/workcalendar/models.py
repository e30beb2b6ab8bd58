import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """One year's holiday arrangement and whether it is the published (confirmed) one.

    `revision` changes on every write to the year or its days: the cached `WorkCalendar` snapshot
    compares revisions to notice a change made in another process. It is a random value, not a
    counter, so a rolled-back write can never leave two different calendars with the same key.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    confirmed = models.BooleanField(
        _("confirmed"),
        default=False,
        help_text=_("The State Council's arrangement for this year is published and entered."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    revision = models.UUIDField(default=uuid.uuid4, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=1950) & models.Q(year__lte=2200),
                name="calendar_year_in_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that differs from the weekend rule: a weekday off, or a weekend day worked."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (weekday off)")
        WORKDAY = "workday", _("Adjusted working day (weekend worked)")

    calendar_year = models.ForeignKey(
        CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("year")
    )
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "workday"]), name="calendar_day_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"
