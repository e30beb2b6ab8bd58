"""The database's own guards on the audit trail (PostgreSQL): a trigger and two roles.

1. A trigger refuses UPDATE, DELETE and TRUNCATE of audit events for every role, the owner
   included. TRUNCATE is let through only in a session that sets
   `raretrack.audit_allow_truncate = on`: the test harness empties all tables between tests.
   The application role cannot TRUNCATE anyway (privileges below).
2. Roles: an owner role owns the schema and runs migrations; the application role the portal
   runs as may read and write every table, except that on the audit table it may only SELECT
   and INSERT. `manage.py audit_db_roles` prints (or applies) the statements.
"""

import re
from collections.abc import Iterable

from django.db import connection

AUDIT_TABLE = "audit_auditevent"
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
TRUNCATE_FLAG = "raretrack.audit_allow_truncate"

INSTALL_TRIGGER = f"""
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('{TRUNCATE_FLAG}', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The audit trail is append-only: % on % is refused.', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
DROP TRIGGER IF EXISTS audit_append_only ON {AUDIT_TABLE};
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {AUDIT_TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
DROP TRIGGER IF EXISTS audit_no_truncate ON {AUDIT_TABLE};
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {AUDIT_TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
"""

REMOVE_TRIGGER = f"""
DROP TRIGGER IF EXISTS audit_append_only ON {AUDIT_TABLE};
DROP TRIGGER IF EXISTS audit_no_truncate ON {AUDIT_TABLE};
DROP FUNCTION IF EXISTS audit_refuse_change();
"""


def _ident(name: str) -> str:
    return connection.ops.quote_name(name)


def role_statements(
    *, owner: str, app: str, database: str, tables: Iterable[str], sequences: Iterable[str]
) -> list[str]:
    """SQL creating (if missing) the owner and application roles and granting what each needs.

    Passwords are not set here: the operator sets them (ALTER ROLE ... PASSWORD) out of band.
    """
    for name in (owner, app):
        if not ROLE_NAME.fullmatch(name):
            raise ValueError(f"Role name {name!r}: use lower-case letters, digits and _.")
    o, a = _ident(owner), _ident(app)
    statements = [
        _create_role(owner),
        _create_role(app),
        f"ALTER DATABASE {_ident(database)} OWNER TO {o}",
        f"ALTER SCHEMA public OWNER TO {o}",
    ]
    statements += [f"ALTER TABLE {_ident(t)} OWNER TO {o}" for t in tables]
    statements += [f"ALTER SEQUENCE {_ident(s)} OWNER TO {o}" for s in sequences]
    statements += [
        "REVOKE ALL ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {a}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {a}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {a}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {a}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {a}",
        # The audit trail: read and append, nothing else.
        f"REVOKE ALL ON {_ident(AUDIT_TABLE)} FROM PUBLIC",
        f"REVOKE ALL ON {_ident(AUDIT_TABLE)} FROM {a}",
        f"GRANT SELECT, INSERT ON {_ident(AUDIT_TABLE)} TO {a}",
    ]
    return statements


def _create_role(name: str) -> str:
    literal = name.replace("'", "''")
    return (
        # The name is checked against ROLE_NAME and quoted; DO blocks take no parameters.
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{literal}') "  # noqa: S608 # nosec
        f"THEN CREATE ROLE {_ident(name)}; END IF; END $$"
    )
