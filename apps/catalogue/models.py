from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ItemForm(models.TextChoices):
    """The physical forms a controlled item can be exported in (an application line names one)."""

    METAL = "metal", _("Metal")
    ALLOY = "alloy", _("Alloy")
    TARGET = "target", _("Sputtering target")
    OXIDE = "oxide", _("Oxide")
    COMPOUND = "compound", _("Compound")
    MAGNET = "magnet", _("Magnet")


class SubItem(models.TextChoices):
    A = "a", _("a — metal, alloys and related products")
    B = "b", _("b — oxides and their mixtures")
    C = "c", _("c — compounds and their mixtures")


class CatalogueEntry(models.Model):
    """One controlled item: a control code's sub-item (or a named product under it, like magnets).

    In force on a date D when effective_from <= D, D <= effective_until (if set), and D is after
    suspended_until (if set): a package announced and then suspended has an effective_from in the
    past and a suspended_until in the future, and is not in force until the suspension ends.
    `forms` and `hs_codes` are short lists kept as JSON so the portal runs on SQLite and PostgreSQL
    alike; lookups by HS code filter the (small) in-force catalogue in Python.
    """

    control_code = models.CharField(_("control code"), max_length=5, db_index=True)
    sub_item = models.CharField(_("sub-item"), max_length=1, choices=SubItem.choices)
    element = models.CharField(_("element"), max_length=40)
    symbol = models.CharField(_("symbol"), max_length=3)
    name = models.CharField(_("description"), max_length=200)
    forms = models.JSONField(_("allowed forms"), default=list)
    hs_codes = models.JSONField(_("reference HS codes"), default=list, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    suspended_until = models.DateField(_("suspended until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["control_code", "sub_item", "name"]
        verbose_name_plural = "catalogue entries"
        constraints = [
            models.UniqueConstraint(
                fields=["control_code", "sub_item", "name"], name="catalogue_entry_unique_item"
            ),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gte=models.F("effective_from")),
                name="catalogue_entry_until_after_from",
            ),
            models.CheckConstraint(
                condition=Q(suspended_until__isnull=True)
                | Q(suspended_until__gte=models.F("effective_from")),
                name="catalogue_entry_suspension_after_from",
            ),
            models.CheckConstraint(
                condition=Q(sub_item__in=["a", "b", "c"]), name="catalogue_entry_sub_item_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    @property
    def reference(self) -> str:
        """The printed code, e.g. `1C902.a`."""
        return f"{self.control_code}.{self.sub_item}"

    def in_force_on(self, on_date: date) -> bool:
        return self.status_on(on_date) == "in_force"

    def status_on(self, on_date: date) -> str:
        """`not_yet`, `suspended`, `in_force` or `expired` on a date."""
        if on_date < self.effective_from:
            return "not_yet"
        if self.effective_until is not None and on_date > self.effective_until:
            return "expired"
        if self.suspended_until is not None and on_date <= self.suspended_until:
            return "suspended"
        return "in_force"

    def get_forms_display(self) -> list[str]:
        labels = dict(ItemForm.choices)
        return [str(labels.get(f, f)) for f in self.forms]


STATUS_LABELS = {
    "not_yet": _("Not yet in force"),
    "suspended": _("Suspended"),
    "in_force": _("In force"),
    "expired": _("Expired"),
}


def in_force_q(on_date: date) -> Q:
    """The database filter equivalent of `CatalogueEntry.in_force_on(on_date)`."""
    return (
        Q(effective_from__lte=on_date)
        & (Q(effective_until__isnull=True) | Q(effective_until__gte=on_date))
        & (Q(suspended_until__isnull=True) | Q(suspended_until__lt=on_date))
    )
