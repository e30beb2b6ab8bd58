"""Calendar pages: officials and auditors read, administrators enter each year's arrangement."""

import calendar as stdlib_calendar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.access import role_required
from apps.core.errors import DomainError
from apps.core.forms import add_domain_error
from apps.core.listing import list_context
from apps.core.roles import Role
from apps.workcalendar import forms, permissions, selectors, services
from apps.workcalendar.models import CalendarDay

READERS = (Role.ADMINISTRATOR, Role.REVIEWER, Role.APPROVER, Role.AUDITOR)


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def year_list(request):
    can_edit = permissions.can_edit_calendar(request.user)
    add_form = forms.YearAddForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if add_form.is_valid():
            try:
                row = services.calendar_year_add(
                    actor=request.user, year=add_form.cleaned_data["year"]
                )
            except DomainError as exc:
                add_domain_error(add_form, exc)
            else:
                messages.success(request, _("%(year)s added to the calendar.") % {"year": row})
                return redirect("workcalendar:year_detail", year=row.year)
    filters = forms.YearFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.calendar_year_list_for(
        request.user, confirmed=cleaned.get("confirmed", ""), search=cleaned.get("q", "").strip()
    )
    context = list_context(
        request,
        qs,
        default_sort="year",
        sort_fields={
            "year": "year",
            "confirmed": "confirmed",
            "holidays": "holiday_count",
            "workdays": "workday_count",
            "updated": "updated_at",
        },
    )
    context.update({"filters": filters, "add_form": add_form, "can_edit": can_edit})
    return render(request, "workcalendar/year_list.html", context)


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def year_detail(request, year: int):
    calendar_year = selectors.calendar_year_get_for(request.user, year)
    can_edit = permissions.can_edit_calendar(request.user)
    update_form = forms.YearUpdateForm(
        request.POST or None,
        initial={
            "confirmed": calendar_year.confirmed,
            "source": calendar_year.source,
            "notes": calendar_year.notes,
        },
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if update_form.is_valid():
            services.calendar_year_update(
                actor=request.user, calendar_year=calendar_year, **update_form.cleaned_data
            )
            messages.success(request, _("%(year)s saved.") % {"year": calendar_year})
            return redirect("workcalendar:year_detail", year=year)
    return _render_year(request, calendar_year, can_edit, update_form, forms.DayAddForm())


def _render_year(request, calendar_year, can_edit, update_form, day_form):
    days = list(selectors.calendar_day_list_for(request.user, calendar_year))
    return render(
        request,
        "workcalendar/year_detail.html",
        {
            "calendar_year": calendar_year,
            "days": days,
            "months": _month_grids(calendar_year.year, days),
            "can_edit": can_edit,
            "update_form": update_form,
            "day_form": day_form,
        },
    )


def _month_grids(year: int, days: list[CalendarDay]) -> list[dict]:
    """Twelve month grids; each cell says how the day counts (for a glance at the arrangement)."""
    kinds = {d.date: d for d in days}
    grids = []
    for month in range(1, 13):
        weeks = []
        for week in stdlib_calendar.Calendar().monthdatescalendar(year, month):
            cells = []
            for day in week:
                listed = kinds.get(day)
                if day.month != month:
                    css = "outside"
                elif listed is not None:
                    css = listed.kind
                elif day.weekday() >= 5:
                    css = "weekend"
                else:
                    css = "working"
                cells.append({"day": day, "css": css, "title": listed.name if listed else ""})
            weeks.append(cells)
        grids.append({"name": stdlib_calendar.month_name[month], "weeks": weeks})
    return grids


@role_required(Role.ADMINISTRATOR)
@require_POST
def day_add(request, year: int):
    calendar_year = selectors.calendar_year_get_for(request.user, year)
    form = forms.DayAddForm(request.POST)
    if form.is_valid():
        try:
            services.calendar_day_add(
                actor=request.user,
                calendar_year=calendar_year,
                day=form.cleaned_data["date"],
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(date)s added.") % {"date": form.cleaned_data["date"]})
            return redirect("workcalendar:year_detail", year=year)
    update_form = forms.YearUpdateForm(
        initial={
            "confirmed": calendar_year.confirmed,
            "source": calendar_year.source,
            "notes": calendar_year.notes,
        }
    )
    return _render_year(request, calendar_year, True, update_form, form)


@role_required(Role.ADMINISTRATOR)
@require_POST
def day_remove(request, pk: int):
    day = selectors.calendar_day_get_for(request.user, pk)
    try:
        services.calendar_day_remove(actor=request.user, calendar_day=day)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(date)s removed.") % {"date": day.date})
    return redirect("workcalendar:year_detail", year=day.calendar_year.year)
