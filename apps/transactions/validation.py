"""The rules every report passes, whichever way it comes in (form, file, API).

Validation runs in memory against a `BatchContext` loaded in a fixed number of queries for the
whole batch (the company's licences and their lines, the end users named on their applications,
its client book, the catalogue, its screening hits), so a file of 100,000 rows costs the same
handful of queries as one report. Balances are tracked per licence line across the batch, so the
row that would over-draw a line is named in the preview; the database's compare-and-set update
at commit remains the authority.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.catalogue.models import CatalogueEntry
from apps.clients.models import Client, PartyRole, ScreeningHit
from apps.licensing.models import ApplicationParty, Licence, LicenceLine
from apps.transactions import units
from apps.transactions.models import Incoterm

INCOTERMS = frozenset(Incoterm.values)
# Labels are lazy: translated only when a message is written, never on the happy path.
L = gettext_lazy
CDN_LABEL = L("Customs declaration number")
DATE_FIELDS = (
    ("contract_date", L("Contract date"), L("contract date")),
    ("loading_date", L("Loading date"), L("loading date")),
    ("departure_date", L("Departure date"), L("departure date")),
    ("arrival_date", L("Arrival date"), L("arrival date")),
)
TEXT_FIELDS = (
    ("origin", L("Origin"), 100),
    ("port_of_clearance", L("Port of customs clearance"), 100),
)
CLIENT_ROLES = (
    ("purchaser", gettext_lazy("Purchaser")),
    ("consignee", gettext_lazy("Consignee")),
    ("end_user", gettext_lazy("End user")),
)
_CDN = re.compile(r"^\d{18}$")
_ITEM = re.compile(r"^(?P<code>\d[A-Z]\d{3})\.(?P<sub>[ABC])$")
_MONEY_PLACES = Decimal("0.01")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass
class LineInput:
    item: str | int  # catalogue reference "1C905.a" or a catalogue entry id
    form: str
    quantity: object
    unit: str
    value: object
    currency: str
    hs_code: str = ""


@dataclass
class ReportInput:
    licence: str  # licence number, "" when the items are not controlled
    purchaser: str | int  # client id or legal name in the company's client book
    consignee: str | int
    end_user: str | int
    incoterm: str
    contract_date: object
    loading_date: object
    departure_date: object
    arrival_date: object
    origin: str
    destination_country: str
    port_of_clearance: str
    customs_declaration_number: str
    lines: list[LineInput] = field(default_factory=list)
    reference: str = ""


@dataclass(slots=True)
class ValidLine:
    catalogue_entry_id: int
    form: str
    hs_code: str
    quantity: Decimal
    unit: str
    quantity_kg: Decimal
    licence_line_id: int | None
    quantity_licence_unit: Decimal | None
    value: Decimal
    currency: str


@dataclass(slots=True)
class ValidReport:
    reference: str
    licence_id: int | None
    purchaser_id: int
    consignee_id: int
    end_user_id: int
    incoterm: str
    contract_date: dt.date
    loading_date: dt.date
    departure_date: dt.date
    arrival_date: dt.date
    origin: str
    destination_country: str
    port_of_clearance: str
    customs_declaration_number: str
    total_kg: Decimal
    screening_hits: list
    lines: list[ValidLine]


class Problems:
    """The refusals of one report: (field, message) pairs, each message complete on its own."""

    def __init__(self, prefix: str = ""):
        self.prefix = prefix
        self.items: list[tuple[str, str]] = []

    def add(self, field_name: str, message: str) -> None:
        # Line messages carry their own label ("Line 14: ..."); the others get the prefix.
        prefix = "" if field_name == "lines" else self.prefix
        self.items.append((field_name, f"{prefix}{message}"))

    @property
    def messages(self) -> list[str]:
        return [message for _name, message in self.items]

    def __bool__(self) -> bool:
        return bool(self.items)

    def as_field_errors(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = defaultdict(list)
        for name, message in self.items:
            grouped[name].append(message)
        return dict(grouped)


class BatchContext:
    """Everything the rules need for one company's batch, loaded in six queries."""

    def __init__(self, organisation_id: int, *, today: dt.date | None = None):
        self.organisation_id = organisation_id
        self.today = today or timezone.localdate()
        self.licences: dict[str, Licence] = {
            lic.number: lic for lic in Licence.objects.filter(organisation_id=organisation_id)
        }
        by_id = {lic.pk: lic for lic in self.licences.values()}
        self.lines_by_licence: dict[int, dict[tuple[int, str], LicenceLine]] = defaultdict(dict)
        self.line_by_id: dict[int, LicenceLine] = {}
        self.balances: dict[int, Decimal] = {}
        for line in LicenceLine.objects.filter(licence_id__in=by_id).order_by("id"):
            self.lines_by_licence[line.licence_id].setdefault(
                (line.catalogue_entry_id, line.form), line
            )
            self.line_by_id[line.pk] = line
            self.balances[line.pk] = line.balance
        self.end_users: dict[int, set[int]] = defaultdict(set)
        app_to_licence = {lic.application_id: lic.pk for lic in by_id.values()}
        for app_id, client_id in ApplicationParty.objects.filter(
            application_id__in=app_to_licence, role=PartyRole.END_USER
        ).values_list("application_id", "client_id"):
            self.end_users[app_to_licence[app_id]].add(client_id)
        self.clients: dict[int, Client] = {}
        self.clients_by_name: dict[str, list[Client]] = defaultdict(list)
        for client in Client.objects.filter(organisation_id=organisation_id).only(
            "id", "legal_name", "archived_at", "country"
        ):
            self.clients[client.pk] = client
            self.clients_by_name[client.legal_name.strip().casefold()].append(client)
        self.entries: dict[int, CatalogueEntry] = {}
        self.entries_by_ref: dict[str, list[CatalogueEntry]] = defaultdict(list)
        for entry in CatalogueEntry.objects.all():
            self.entries[entry.pk] = entry
            self.entries_by_ref[entry.reference.upper()].append(entry)
        self.hits: dict[int, list[dict]] = defaultdict(list)
        self.refresh_hits()
        self._foreign_numbers: dict[str, bool] = {}
        self._dates: dict[object, dt.date | None] = {}
        # Lookups memoised per batch: a file names the same few clients, items and dates
        # on every row, so each distinct value is resolved once (outcome, or why it failed).
        self.client_memo: dict[object, tuple[Client | None, str | None]] = {}
        self.entry_memo: dict[tuple, tuple] = {}
        self.in_force_memo: dict[tuple[int, dt.date], bool] = {}

    def refresh_hits(self) -> None:
        """Open or confirmed screening hits of the company's clients (after screening)."""
        self.hits.clear()
        for client_id, entry_name, kind, score, status in ScreeningHit.objects.filter(
            client__organisation_id=self.organisation_id,
            status__in=[ScreeningHit.Status.OPEN, ScreeningHit.Status.CONFIRMED],
        ).values_list("client_id", "list_entry__name", "list_entry__kind", "score", "status"):
            self.hits[client_id].append(
                {"list_entry": entry_name, "list": kind, "score": score, "status": status}
            )

    def digest(self) -> str:
        """A fingerprint of everything a row is checked against except balances (which the
        commit's compare-and-set settles): equal fingerprints mean a checked row is still valid."""
        state = [
            sorted(
                (
                    lic.pk,
                    lic.number,
                    lic.status,
                    str(lic.issued_on),
                    str(lic.valid_until),
                    lic.destination_country,
                )
                for lic in self.licences.values()
            ),
            sorted(
                (line.pk, line.licence_id, line.catalogue_entry_id, line.form, line.unit)
                for line in self.line_by_id.values()
            ),
            sorted((k, sorted(v)) for k, v in self.end_users.items()),
            sorted((c.pk, c.legal_name, c.archived_at is None) for c in self.clients.values()),
            sorted(
                (
                    e.pk,
                    e.reference,
                    sorted(e.forms),
                    str(e.effective_from),
                    str(e.effective_until),
                    str(e.suspended_until),
                )
                for e in self.entries.values()
            ),
            sorted((k, sorted(h["list_entry"] for h in v)) for k, v in self.hits.items()),
        ]
        return hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()

    def licence_elsewhere(self, number: str) -> bool:
        if number not in self._foreign_numbers:
            self._foreign_numbers[number] = Licence.objects.filter(number=number).exists()
        return self._foreign_numbers[number]

    def parse_date(self, value) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return self._dates[value]
        except KeyError:
            pass
        except TypeError:  # a list or an object where a date belongs
            return None
        try:
            parsed = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            parsed = None
        self._dates[value] = parsed
        return parsed


def parse_decimal(value, places: int = 3) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = str(value).strip()
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
    if not number.is_finite():
        return None
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        # More decimals than kept: only trailing zeros are allowed.
        normal = number.normalize()
        exp = normal.as_tuple().exponent
        if isinstance(exp, int) and exp < -places:
            return None
        number = normal
    return number


def check_customs_number(
    value: str, loading_date: dt.date | None, problems: Problems, today: dt.date | None = None
) -> str:
    """18 digits: customs office (4), year (4), import/export flag (1: "0" export), serial (9)."""
    text = (value or "").strip().replace(" ", "")
    label = CDN_LABEL
    if not _CDN.match(text):
        problems.add(
            "customs_declaration_number",
            _("%(label)s must be 18 digits (office, year, export flag, serial); got %(value)r.")
            % {"label": label, "value": value or ""},
        )
        return text
    office, year, flag, serial = text[:4], int(text[4:8]), text[8], text[9:]
    if office == "0000":
        problems.add(
            "customs_declaration_number",
            _("%(label)s %(value)s: customs office code 0000 does not exist.")
            % {"label": label, "value": text},
        )
    this_year = (today or timezone.localdate()).year
    if not 2000 <= year <= this_year:
        problems.add(
            "customs_declaration_number",
            _("%(label)s %(value)s: year %(year)s is not plausible (2000 to %(now)s).")
            % {"label": label, "value": text, "year": year, "now": this_year},
        )
    elif loading_date and year not in (loading_date.year, loading_date.year - 1):
        problems.add(
            "customs_declaration_number",
            _("%(label)s %(value)s: year %(year)s does not match the loading date %(date)s.")
            % {"label": label, "value": text, "year": year, "date": loading_date},
        )
    if flag == "1":
        problems.add(
            "customs_declaration_number",
            _("%(label)s %(value)s is an import declaration (9th digit 1); an export needs 0.")
            % {"label": label, "value": text},
        )
    elif flag != "0":
        problems.add(
            "customs_declaration_number",
            _("%(label)s %(value)s: the 9th digit must be 0 (export), not %(flag)s.")
            % {"label": label, "value": text, "flag": flag},
        )
    if serial == "0" * 9:
        problems.add(
            "customs_declaration_number",
            _("%(label)s %(value)s: the serial number cannot be zero.")
            % {"label": label, "value": text},
        )
    return text


def _lookup_client(text: str, ctx: BatchContext) -> tuple[Client | None, str | None]:
    """(client, None) or (client or None, why not): required, ambiguous, unknown, archived."""
    if not text:
        return None, "required"
    if text.isascii() and text.isdigit():  # "²" is a digit to isdigit, not to int()
        client = ctx.clients.get(int(text))
    else:
        matches = ctx.clients_by_name.get(text.casefold(), [])
        active = [c for c in matches if c.archived_at is None]
        if len(active) > 1:
            return None, "ambiguous"
        client = (active or matches or [None])[0]
    if client is None:
        return None, "unknown"
    if client.archived_at is not None:
        return client, "archived"
    return client, None


def _resolve_client(ref, role: str, role_label: str, ctx: BatchContext, problems: Problems):
    text = str(ref).strip() if ref is not None else ""
    try:
        client, why = ctx.client_memo[text]
    except KeyError:
        client, why = ctx.client_memo[text] = _lookup_client(text, ctx)
    if why is None:
        return client
    if why == "required":
        problems.add(role, _("%(role)s is required.") % {"role": role_label})
    elif why == "ambiguous":
        problems.add(
            role,
            _("%(role)s %(name)r matches several clients in your book: give its id.")
            % {"role": role_label, "name": text},
        )
    elif why == "unknown":
        problems.add(
            role,
            _("%(role)s %(name)r is not in your client book.") % {"role": role_label, "name": text},
        )
    else:
        problems.add(
            role,
            _("%(role)s %(name)s is archived in your client book; choose an active client.")
            % {"role": role_label, "name": client.legal_name},
        )
    return None


def _resolve_entry(
    line: LineInput, ctx: BatchContext, label: str, problems: Problems, licence_id=None
):
    item = line.item if type(line.item) in (str, int) else str(line.item)  # True is no id
    key = (item, line.form, licence_id)
    try:
        entry, form, why, ref = ctx.entry_memo[key]
    except KeyError:
        entry, form, why, ref = ctx.entry_memo[key] = _lookup_entry(
            item, line.form, ctx, licence_id
        )
    if why is None:
        return entry, form
    if why == "unknown_id":
        message = _("%(line)s: unknown catalogue item.") % {"line": label}
    elif why == "wrong_form":
        message = _("%(line)s: %(ref)s does not come in the form %(form)r.") % {
            "line": label,
            "ref": ref,
            "form": form,
        }
    elif why == "not_a_code":
        message = _("%(line)s: item %(ref)r is not a control code like 1C905.a.") % {
            "line": label,
            "ref": ref,
        }
    else:
        message = _("%(line)s: %(ref)s in the form %(form)r is not in the control catalogue.") % {
            "line": label,
            "ref": ref,
            "form": form,
        }
    problems.add("lines", message)
    return None, form


def _lookup_entry(item: str | int, form: str, ctx: BatchContext, licence_id) -> tuple:
    """(entry or None, form, why not or None, the reference as named in messages)."""
    form = (form or "").strip().lower()
    if isinstance(item, int) or (item.strip().isascii() and item.strip().isdigit()):
        entry = ctx.entries.get(int(str(item).strip()))
        if entry is None:
            return None, form, "unknown_id", ""
        if form not in entry.forms:
            return None, form, "wrong_form", entry.reference
        return entry, form, None, entry.reference
    ref = str(item or "").strip().upper()
    if not _ITEM.match(ref):
        return None, form, "not_a_code", item or ""
    candidates = [e for e in ctx.entries_by_ref.get(ref, []) if form in e.forms]
    # Several entries can share a reference and a form (1C904.a metal products and the named
    # magnet entry): the one the licence covers wins.
    covered = ctx.lines_by_licence.get(licence_id, {}) if licence_id else {}
    entry = next((e for e in candidates if (e.id, form) in covered), None) or next(
        iter(candidates), None
    )
    if entry is None:
        return None, form, "not_in_catalogue", ref
    return entry, form, None, ref


def validate_report(
    data: ReportInput,
    ctx: BatchContext,
    *,
    prefix: str = "",
    line_labels: list[str] | None = None,
) -> tuple[ValidReport | None, Problems]:
    """Check one report against the rules; on success the balances in `ctx` are drawn down."""
    problems = Problems(prefix)
    clients = {}
    for role, role_label in CLIENT_ROLES:
        clients[role] = _resolve_client(getattr(data, role), role, role_label, ctx, problems)

    incoterm = (data.incoterm or "").strip().upper()
    if incoterm not in INCOTERMS:
        problems.add(
            "incoterm",
            _("Incoterm %(value)r is not an Incoterms 2020 rule (%(list)s).")
            % {"value": data.incoterm or "", "list": " ".join(Incoterm.values)},
        )

    dates = {}
    for name, label, _lower in DATE_FIELDS:
        raw = getattr(data, name)
        value = ctx.parse_date(raw) if raw not in (None, "") else None
        if value is None:
            problems.add(
                name,
                _("%(label)s is required as YYYY-MM-DD; got %(value)r.")
                % {"label": label, "value": "" if raw is None else str(raw)},
            )
        dates[name] = value
    _check_dates(dates, ctx.today, problems)

    texts = {}
    for name, label, limit in TEXT_FIELDS:
        value = (getattr(data, name) or "").strip()
        if not value:
            problems.add(name, _("%(label)s is required.") % {"label": label})
        elif len(value) > limit:
            problems.add(
                name, _("%(label)s is longer than %(n)s characters.") % {"label": label, "n": limit}
            )
        texts[name] = value
    destination = (data.destination_country or "").strip().upper()
    if not _COUNTRY.match(destination):
        problems.add(
            "destination_country",
            _("Destination must be a two-letter country code (ISO 3166); got %(value)r.")
            % {"value": data.destination_country or ""},
        )
    reference = (data.reference or "").strip()
    if len(reference) > 60:
        problems.add("reference", _("Your reference is longer than 60 characters."))
    cdn = check_customs_number(
        data.customs_declaration_number, dates.get("loading_date"), problems, ctx.today
    )

    loading = dates.get("loading_date")
    licence = _check_licence(data, ctx, destination, clients.get("end_user"), loading, problems)

    if not data.lines:
        problems.add("lines", _("Report at least one line."))
    labels = line_labels or [_("Line %(n)s") % {"n": i} for i in range(1, len(data.lines) + 1)]
    valid_lines: list[ValidLine] = []
    drawn: dict[int, Decimal] = defaultdict(Decimal)
    controlled_refs: list[str] = []
    for line, label in zip(data.lines, labels, strict=True):
        checked = _check_line(line, label, ctx, licence, loading, drawn, controlled_refs, problems)
        if checked is not None:
            valid_lines.append(checked)
    if controlled_refs and licence is None and not (data.licence or "").strip():
        problems.add(
            "licence",
            _("A licence is required: %(items)s controlled on the loading date %(date)s.")
            % {"items": ", ".join(controlled_refs), "date": loading},
        )
    if problems:
        return None, problems
    for line_id, amount in drawn.items():
        ctx.balances[line_id] -= amount
    hits = []
    for role, _label in CLIENT_ROLES:
        client = clients[role]
        for hit in ctx.hits.get(client.id, ()):
            hits.append({"role": role, "client": client.legal_name, **hit})
    return (
        ValidReport(
            reference=reference,
            licence_id=licence.id if licence else None,
            purchaser_id=clients["purchaser"].id,
            consignee_id=clients["consignee"].id,
            end_user_id=clients["end_user"].id,
            incoterm=incoterm,
            contract_date=dates["contract_date"],
            loading_date=loading,
            departure_date=dates["departure_date"],
            arrival_date=dates["arrival_date"],
            origin=texts["origin"],
            destination_country=destination,
            port_of_clearance=texts["port_of_clearance"],
            customs_declaration_number=cdn,
            total_kg=sum((v.quantity_kg for v in valid_lines), Decimal(0)),
            screening_hits=hits,
            lines=valid_lines,
        ),
        problems,
    )


def _check_dates(dates: dict, today: dt.date, problems: Problems) -> None:
    order = [(name, lower) for name, _label, lower in DATE_FIELDS]
    for (first, first_label), (second, second_label) in itertools.pairwise(order):
        a, b = dates.get(first), dates.get(second)
        if a and b and a > b:
            problems.add(
                second,
                _("The %(second)s %(b)s is before the %(first)s %(a)s.")
                % {"second": second_label, "b": b, "first": first_label, "a": a},
            )
    for name, label in order[:3]:
        value = dates.get(name)
        if value and value > today:
            problems.add(
                name,
                _("The %(label)s %(date)s is in the future: report a shipment once it has left.")
                % {"label": label, "date": value},
            )


def _check_licence(data, ctx, destination, end_user, loading, problems) -> Licence | None:
    number = (data.licence or "").strip().upper()
    if not number:
        return None
    licence = ctx.licences.get(number)
    if licence is None:
        if ctx.licence_elsewhere(number):
            problems.add("licence", _("Licence %(n)s is not held by your company.") % {"n": number})
        else:
            problems.add("licence", _("Licence %(n)s does not exist.") % {"n": number})
        return None
    if licence.status != "active":
        problems.add(
            "licence",
            _("Licence %(n)s is %(status)s: no shipment can be reported against it.")
            % {"n": number, "status": licence.get_status_display().lower()},
        )
    if loading and not (licence.issued_on <= loading <= licence.valid_until):
        problems.add(
            "loading_date",
            _("Licence %(n)s is valid from %(a)s to %(b)s; the loading date %(d)s is outside it.")
            % {"n": number, "a": licence.issued_on, "b": licence.valid_until, "d": loading},
        )
    if destination and destination != licence.destination_country:
        problems.add(
            "destination_country",
            _("Destination %(d)s differs from licence %(n)s's destination %(l)s.")
            % {"d": destination, "n": number, "l": licence.destination_country},
        )
    if end_user is not None and end_user.id not in ctx.end_users.get(licence.id, ()):
        problems.add(
            "end_user",
            _("End user %(c)s is not the end user named on licence %(n)s.")
            % {"c": end_user.legal_name, "n": number},
        )
    return licence


def _check_line(line, label, ctx, licence, loading, drawn, controlled_refs, problems):
    entry, form = _resolve_entry(line, ctx, label, problems, licence.id if licence else None)
    unit = (line.unit or "").strip().lower()
    quantity = parse_decimal(line.quantity)
    ok = entry is not None
    if unit not in units.UNITS:
        problems.add(
            "lines",
            _("%(line)s: unit %(unit)r must be kg, t or g.") % {"line": label, "unit": line.unit},
        )
        ok = False
    if quantity is None or quantity <= 0:
        problems.add(
            "lines",
            _("%(line)s: quantity %(q)r must be a positive number with at most 3 decimals.")
            % {"line": label, "q": "" if line.quantity is None else str(line.quantity)},
        )
        ok = False
    value = parse_decimal(line.value, places=2)
    if value is None or value < 0:
        problems.add(
            "lines",
            _("%(line)s: value %(v)r must be an amount with at most 2 decimals.")
            % {"line": label, "v": "" if line.value is None else str(line.value)},
        )
        ok = False
    currency = (line.currency or "").strip().upper()
    if not _CURRENCY.match(currency):
        problems.add(
            "lines",
            _("%(line)s: currency %(c)r must be an ISO 4217 code like USD.")
            % {"line": label, "c": line.currency or ""},
        )
        ok = False
    hs_code = str(line.hs_code or "").strip().replace(".", "")
    if hs_code and not (hs_code.isascii() and hs_code.isdigit() and len(hs_code) == 10):
        problems.add(
            "lines",
            _("%(line)s: HS code %(hs)r must be 10 digits.") % {"line": label, "hs": hs_code},
        )
        ok = False
    if not ok:
        return None
    quantity_kg = units.convert(quantity, unit, "kg")
    if quantity_kg is None:
        problems.add(
            "lines",
            _("%(line)s: %(q)s %(u)s cannot be expressed exactly in kg (3 decimals).")
            % {"line": label, "q": quantity, "u": unit},
        )
        return None
    controlled = False
    if loading is not None:
        try:
            controlled = ctx.in_force_memo[entry.id, loading]
        except KeyError:
            controlled = ctx.in_force_memo[entry.id, loading] = entry.in_force_on(loading)
    if controlled:
        controlled_refs.append(f"{entry.reference} ({label.lower()})")
    licence_line = None
    in_licence_unit = None
    if licence is not None:
        licence_line = ctx.lines_by_licence.get(licence.id, {}).get((entry.id, form))
        if licence_line is None and controlled:
            problems.add(
                "lines",
                _("%(line)s: licence %(n)s does not cover %(ref)s in the form %(form)s.")
                % {"line": label, "n": licence.number, "ref": entry.reference, "form": form},
            )
            return None
    if licence_line is not None:
        in_licence_unit = units.convert(quantity, unit, licence_line.unit)
        if in_licence_unit is None:
            problems.add(
                "lines",
                _("%(line)s: %(q)s %(u)s cannot be expressed exactly in %(lu)s (3 decimals).")
                % {"line": label, "q": quantity, "u": unit, "lu": licence_line.unit},
            )
            return None
        line_id = licence_line.id
        left = ctx.balances[line_id] - drawn[line_id]
        if in_licence_unit > left:
            problems.add(
                "lines",
                _("%(line)s: %(asked)s asked, the licence line has %(left)s left")
                % {
                    "line": label,
                    "asked": units.fmt(in_licence_unit, licence_line.unit),
                    "left": units.fmt(left, licence_line.unit),
                },
            )
            return None
        drawn[line_id] += in_licence_unit
    return ValidLine(
        catalogue_entry_id=entry.id,
        form=form,
        hs_code=hs_code,
        quantity=quantity,
        unit=unit,
        quantity_kg=quantity_kg,
        licence_line_id=licence_line.id if licence_line else None,
        quantity_licence_unit=in_licence_unit,
        value=value.quantize(_MONEY_PLACES),
        currency=currency,
    )
