"""List entries by hand and by CSV import: all rows or none, every error named by line."""

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.clients import services
from apps.clients.models import ListEntry, ListEntryTerm
from apps.clients.services.lists import ImportRejected
from apps.core.errors import DomainError, PermissionDeniedError
from tests.clients.factories import make_entry

pytestmark = pytest.mark.django_db

HEADER = "kind,name,aliases,country,identifiers,reason,listed_on,delisted_on\n"
GOOD = (
    HEADER
    + "control,Volga Strategic Metals JSC,Волга Стратегические Металлы;VSM,RU,OGRN 1027700132195,"
    "Military end use,2025-04-04,\n"
    + "watch,Harbor Dual-Use Trading FZE,,AE,,Refused end-use check,2025-05-01,\n"
)


def test_good_file_imports_every_row_with_one_audit_event(administrator):
    report = services.list_import_csv(actor=administrator, content=GOOD.encode(), filename="a.csv")
    assert len(report.entry_ids) == 2
    volga = ListEntry.objects.get(name="Volga Strategic Metals JSC")
    assert volga.aliases == ["Волга Стратегические Металлы", "VSM"]
    assert set(volga.terms.values_list("value", flat=True)) == {
        "volga strategic metals",
        "volga strategicheskie metally",
        "vsm",
        "OGRN1027700132195",
    }
    event = AuditEvent.objects.get(action="list_entry.import")
    assert event.changes["rows"] == 2
    assert event.changes["sha256"] == report.sha256


def test_a_bad_row_rejects_the_whole_file_and_names_each_error(administrator):
    bad = (
        GOOD
        + "control,Bad Country Ltd,,XX,,Reason,2025-01-01,\n"
        + "banned,Wrong List Ltd,,DE,,Reason,2025-01-01,\n"
        + "control,No Date Ltd,,DE,,Reason,,\n"
        + "control,Reversed Dates Ltd,,DE,,Reason,2025-02-01,2025-01-01\n"
        + "control,Volga Strategic Metals,,RU,,Again,2025-04-04,\n"
    )
    with pytest.raises(ImportRejected) as exc:
        services.list_import_csv(actor=administrator, content=bad.encode(), filename="b.csv")
    errors = {(e.line, e.field): e.message for e in exc.value.report.errors}
    assert "Unknown country code “XX”" in errors[(4, "country")]
    assert "control” or “watch" in errors[(5, "kind")]
    assert "YYYY-MM-DD" in errors[(6, "listed_on")]
    assert "before the listing date" in errors[(7, "delisted_on")]
    assert "Same party as line 2" in errors[(8, "name")]
    assert ListEntry.objects.count() == 0
    assert ListEntryTerm.objects.count() == 0


def test_a_party_already_listed_is_an_error(administrator):
    make_entry("Harbor Dual-Use Trading", kind="watch", country="AE")
    with pytest.raises(ImportRejected) as exc:
        services.list_import_csv(actor=administrator, content=GOOD.encode(), filename="c.csv")
    assert "already on the watch list" in exc.value.report.errors[0].message
    assert ListEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,reason\nX,Y\n", "missing column(s): kind, listed_on"),
        (HEADER.encode(), "no rows"),
        ("kind,name\n".encode("utf-16"), "not UTF-8"),
    ],
)
def test_malformed_files_are_refused(administrator, content, message):
    with pytest.raises(ImportRejected) as exc:
        services.list_import_csv(actor=administrator, content=content, filename="d.csv")
    assert message in exc.value.report.errors[0].message


def test_only_administrators_manage_lists(reviewer):
    with pytest.raises(PermissionDeniedError):
        services.list_import_csv(actor=reviewer, content=GOOD.encode(), filename="e.csv")
    with pytest.raises(PermissionDeniedError):
        services.list_entry_create(actor=reviewer, data={})


def test_entry_form_errors_are_per_field(administrator):
    with pytest.raises(DomainError) as exc:
        services.list_entry_create(
            actor=administrator, data={"kind": "control", "name": "Ltd", "country": "ZZ"}
        )
    assert set(exc.value.field_errors) == {"name", "country", "reason", "listed_on"}


def test_import_page_previews_errors_then_commits(client_for, administrator):
    web = client_for(administrator)
    url = reverse("clients:listentry_import")
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("bad.csv", (GOOD + "control,X Ltd,,XX,,R,2025-01-01,\n").encode())
    page = web.post(url, {"file": bad, "step": "preview"})
    assert page.status_code == 200
    assert "Unknown country code" in page.content.decode()
    assert ListEntry.objects.count() == 0

    good = SimpleUploadedFile("good.csv", GOOD.encode())
    page = web.post(url, {"file": good, "step": "preview"})
    assert "2 rows are ready to import" in page.content.decode()
    assert ListEntry.objects.count() == 0
    done = web.post(url, {"payload": GOOD, "filename": "good.csv", "step": "commit"})
    assert done.status_code == 302
    assert ListEntry.objects.count() == 2
