"""ISO 3166 alpha-2 choices, one list for every serializer (one enum in the API schema)."""

from django_countries import countries

COUNTRY_CHOICES = [(code, name) for code, name in countries]
