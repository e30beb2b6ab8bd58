"""The review queue: filters, presets, sorting, paging, htmx partial, fixed query count."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from apps.licensing import clock
from apps.licensing.models import Application
from apps.licensing.workflow import ApplicationStatus as S
from apps.workcalendar.selectors import work_calendar
from tests.factories import make_producer
from tests.licensing import official_world as ow

pytestmark = pytest.mark.django_db
QUEUE = reverse("review:queue")


def refs(response) -> list[str]:
    return [row["app"].reference for row in response.context["rows"]]


def backdate(app, days: int) -> None:
    """Pretend the case was accepted `days` calendar days ago (history and derived clock)."""
    past = date.today() - timedelta(days=days)
    app.transitions.update(occurred_on=past)
    app.refresh_from_db()
    derived = clock.derived_fields(app, list(app.transitions.all()))
    Application.objects.filter(pk=app.pk).update(accepted_on=past, **derived)


@pytest.fixture
def cases(producer, reviewer, approver, other_company):
    other = make_producer(other_company, email="staff@other.test")
    return {
        "submitted": ow.case(producer),
        "mine": ow.case(producer, reviewer, state=S.UNDER_REVIEW, symbol="Tb"),
        "reviewed": ow.case(producer, reviewer, state=S.REVIEWED, destination_country="JP"),
        "other": ow.case(other, end_use_sector="semiconductor"),
        "approved": ow.case(producer, reviewer, approver, state=S.APPROVED),
    }


def test_queue_lists_open_cases_only(client_for, reviewer, cases):
    response = client_for(reviewer).get(QUEUE)
    assert response.status_code == 200
    listed = set(refs(response))
    assert cases["approved"].reference not in listed
    assert {cases[k].reference for k in ("submitted", "mine", "reviewed", "other")} == listed


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "reviewed"}, {"reviewed"}),
        ({"status": "approved"}, {"approved"}),
        ({"element": "Tb"}, {"mine"}),
        ({"destination": "jp"}, {"reviewed"}),
        ({"sector": "semiconductor"}, {"other"}),
        ({"assignee": "none"}, {"submitted", "other"}),
        ({"assignee": "me"}, {"mine", "reviewed"}),
    ],
)
def test_queue_filters(client_for, reviewer, cases, params, expected):
    response = client_for(reviewer).get(QUEUE, params)
    assert set(refs(response)) == {cases[k].reference for k in expected}


def test_filter_by_company_and_by_reviewer(client_for, approver, reviewer, cases, other_company):
    response = client_for(approver).get(QUEUE, {"company": other_company.pk})
    assert refs(response) == [cases["other"].reference]
    response = client_for(approver).get(QUEUE, {"assignee": reviewer.pk})
    assert set(refs(response)) == {cases["mine"].reference, cases["reviewed"].reference}


def test_fast_track_filter_and_badge(client_for, reviewer, cases):
    from apps.licensing import services

    services.application_set_fast_track(
        actor=reviewer, application=cases["mine"], fast_track=True, reason="Trusted end user"
    )
    response = client_for(reviewer).get(QUEUE, {"fast_track": "yes"})
    assert refs(response) == [cases["mine"].reference]
    assert "fast track" in response.content.decode()


def test_days_left_and_overdue_presets(client_for, reviewer, cases):
    backdate(cases["mine"], 120)
    response = client_for(reviewer).get(QUEUE, {"days_left": "overdue"})
    assert refs(response) == [cases["mine"].reference]
    assert 'data-testid="overdue"' in response.content.decode()
    response = client_for(reviewer).get(QUEUE, {"days_left": "5"})
    assert refs(response) == [cases["mine"].reference]
    bound = work_calendar().add_working_days(date.today(), 45)
    response = client_for(reviewer).get(QUEUE, {"days_left": "20"})
    assert all(row["app"].review_deadline <= bound for row in response.context["rows"])


def test_presets_are_links_and_the_active_one_is_marked(client_for, reviewer, cases):
    response = client_for(reviewer).get(QUEUE, {"status": "reviewed"})
    html = response.content.decode()
    assert response.context["active_preset"] == "waiting"
    for key in ("mine", "unassigned", "waiting", "overdue"):
        assert f'data-testid="preset-{key}"' in html


def test_sorting_by_company_and_deadline(client_for, reviewer, cases):
    response = client_for(reviewer).get(QUEUE, {"sort": "company"})
    companies = [row["app"].organisation.legal_name for row in response.context["rows"]]
    assert companies == sorted(companies)
    response = client_for(reviewer).get(QUEUE, {"sort": "-deadline"})
    deadlines = [row["app"].review_deadline for row in response.context["rows"]]
    assert deadlines == sorted(deadlines, reverse=True)


def test_unknown_filter_values_do_not_break_the_page(client_for, reviewer, cases):
    response = client_for(reviewer).get(QUEUE, {"status": "nonsense", "sort": "password"})
    assert response.status_code == 200


def test_htmx_request_gets_only_the_table(client_for, reviewer, cases):
    response = client_for(reviewer).get(QUEUE, {"status": "reviewed"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'data-testid="queue"' in html
    assert "<html" not in html


def test_auditor_reads_the_queue_and_producers_do_not(client_for, auditor, producer, cases):
    assert client_for(auditor).get(QUEUE).status_code == 200
    assert client_for(producer).get(QUEUE).status_code == 403


def test_queue_pages_by_fifty_with_a_fixed_number_of_queries(
    client_for, reviewer, producer, django_assert_max_num_queries
):
    template = ow.case(producer)
    # 60 more submitted cases, cloned cheaply with their lines (the page shape is what matters)
    lines = list(template.lines.all())
    for _ in range(60):
        clone = Application.objects.get(pk=template.pk)
        clone.pk = None
        clone.save()
        for line in lines:
            line.pk = None
            line.application = clone
            line.save()
    client = client_for(reviewer)
    first = client.get(QUEUE)
    assert len(first.context["rows"]) == 50
    assert first.context["page_obj"].paginator.count == 61
    second = client.get(QUEUE, {"page": 2})
    assert len(second.context["rows"]) == 11
    with django_assert_max_num_queries(20) as full_page:
        client.get(QUEUE, {"sort": "company"})
    with django_assert_max_num_queries(20) as short_page:
        client.get(QUEUE, {"page": 2, "sort": "company"})
    assert len(full_page.captured_queries) == len(short_page.captured_queries)


def test_official_home_counts_link_to_the_presets(client_for, reviewer, cases):
    response = client_for(reviewer).get(reverse("core:home"))
    html = response.content.decode()
    counts = response.context["review_counts"]
    assert counts["mine"] == 2
    assert counts["unassigned"] == 2
    assert counts["waiting"] == 1
    assert f'href="{QUEUE}?assignee=me"' in html
