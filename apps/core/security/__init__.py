"""Cross-cutting protections: CSP, session timeouts, sign-in throttling, denial auditing.

Each module is wired in config/settings/base.py (MIDDLEWARE, AUTHENTICATION_BACKENDS,
REST_FRAMEWORK) so that every page and endpoint, including ones added later, is covered.
"""
