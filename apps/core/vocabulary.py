"""Choice sets shared by several apps (one vocabulary, one enum in the API schema)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    """The sector of a client and of an application's end use (DOMAIN.md)."""

    AUTOMOTIVE = "automotive", _("Automotive")
    SEMICONDUCTOR = "semiconductor", _("Semiconductor")
    ELECTRONICS = "electronics", _("Electronics")
    WIND = "wind", _("Wind energy")
    DEFENCE = "defence", _("Defence")
    RESEARCH = "research", _("Research")
    OTHER = "other", _("Other")
