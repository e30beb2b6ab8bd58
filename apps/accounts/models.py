import hashlib
import hmac
import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.validators import validate_uscc
from apps.core.roles import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address. Roles are groups (apps.core.roles)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    language = models.CharField(
        _("language"),
        max_length=10,
        default="en",
        choices=[("en", "English"), ("zh-hans", "简体中文")],
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the Django admin"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Organisation(models.Model):
    """A producer (exporting company), identified by its unified social credit code."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending verification")
        VERIFIED = "verified", _("Verified")
        SUSPENDED = "suspended", _("Suspended")

    legal_name = models.CharField(_("legal name (Latin script)"), max_length=200)
    native_name = models.CharField(_("legal name (Chinese)"), max_length=200, blank=True)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    address = models.TextField(_("registered address"))
    province = models.CharField(_("province"), max_length=50)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["legal_name"]
        permissions = [
            ("verify_organisation", "Can verify or suspend producer organisations"),
            ("invite_member", "Can invite colleagues to the organisation"),
            ("deactivate_member", "Can deactivate colleagues of the organisation"),
        ]
        constraints = [
            models.UniqueConstraint(Lower("legal_name"), name="organisation_legal_name_ci_unique"),
        ]
        # Lists sorted by company (the review queue, licences) walk the companies in name order
        # and fetch each one's rows, instead of sorting every row they join.
        indexes = [models.Index(fields=["legal_name"], name="accounts_org_legal_name")]

    def __str__(self) -> str:
        return self.legal_name

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED


class Membership(models.Model):
    """A producer user's company. One company per user; the role is the user's group as well."""

    PRODUCER_ROLE_CHOICES = [
        (Role.PRODUCER_ADMIN.value, Role.PRODUCER_ADMIN.label),
        (Role.PRODUCER_STAFF.value, Role.PRODUCER_STAFF.label),
    ]

    user = models.OneToOneField(
        "accounts.User", on_delete=models.PROTECT, related_name="membership"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=PRODUCER_ROLE_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class Invitation(models.Model):
    """A single-use, expiring link for a colleague to join a producer. Only the hash is stored."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Membership.PRODUCER_ROLE_CHOICES)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} -> {self.organisation}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class ApiToken(models.Model):
    """A personal API token. The secret is shown once; only its SHA-256 is kept."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )


class RecoveryCode(models.Model):
    """One unused MFA recovery code of a user's recovery device, kept only as a salted SHA-256.

    The clear code is shown once when it is made and never stored (django-otp's own `StaticToken`
    keeps it in clear, so it is not used). A fast hash is enough because new codes carry 80 random
    bits (16 base32 characters): a stolen hash cannot be searched back to its code, whereas a slow
    password hash would make every sign-in try up to ten of them. The per-code salt keeps equal
    codes from having equal hashes and rules out one precomputed table for all users.
    """

    ALGORITHM = "sha256"

    device = models.ForeignKey(
        "otp_static.StaticDevice", on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Recovery code {self.pk} of device {self.device_id}"

    @staticmethod
    def normalise(code: str) -> str:
        """What the user typed, as it is hashed: no spaces or dashes, lower case."""
        return "".join((code or "").split()).replace("-", "").lower()

    @classmethod
    def hash_code(cls, code: str, *, salt: str | None = None) -> str:
        salt = salt or secrets.token_hex(16)
        digest = hashlib.sha256(f"{salt}:{cls.normalise(code)}".encode()).hexdigest()
        return f"{cls.ALGORITHM}${salt}${digest}"

    def matches(self, code: str) -> bool:
        algorithm, salt, _digest = self.code_hash.split("$", 2)
        if algorithm != self.ALGORITHM:
            return False
        return hmac.compare_digest(self.code_hash, self.hash_code(code, salt=salt))
