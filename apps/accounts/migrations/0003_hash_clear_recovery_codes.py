"""Replace the recovery codes django-otp kept in clear (`StaticToken`) with salted hashes.

The hashing is copied here, not imported, so that this migration keeps producing what it produced
on the day it ran; it must match `RecoveryCode.hash_code` as it stood then. The codes made before
this change are 8 characters (40 bits), shorter than the 80-bit ones made now; they keep working
until used or regenerated.

Going backwards cannot bring the clear codes back: it leaves the hashed rows to be dropped with
their table, and users make new codes on the security page.
"""

import hashlib
import secrets

from django.db import migrations


def _hash_code(code):
    normalised = "".join((code or "").split()).replace("-", "").lower()
    salt = secrets.token_hex(16)
    return f"sha256${salt}${hashlib.sha256(f'{salt}:{normalised}'.encode()).hexdigest()}"


def hash_clear_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")
    clear = StaticToken.objects.order_by("pk")
    RecoveryCode.objects.bulk_create(
        [
            RecoveryCode(device_id=token.device_id, code_hash=_hash_code(token.token))
            for token in clear.iterator()
        ],
        batch_size=1000,
    )
    clear.delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_recoverycode")]

    operations = [migrations.RunPython(hash_clear_codes, migrations.RunPython.noop)]
