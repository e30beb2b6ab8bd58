"""Every write on applications and licences: `from apps.licensing import services`."""

from apps.licensing.services.applications import (  # noqa: F401
    application_copy,
    application_create,
    application_set_parties,
    application_submit,
    application_update,
    application_withdraw,
    completeness_problems,
    document_add,
    document_remove,
)
from apps.licensing.services.licences import (  # noqa: F401
    amendment_decide,
    amendment_request,
    licence_issue,
    licence_transition,
    licences_expire_due,
)
from apps.licensing.services.review import (  # noqa: F401
    application_assign,
    application_close_lapsed,
    application_decide,
    application_recommend,
    application_send_back,
    application_set_fast_track,
    application_take,
    applications_recompute_clocks,
    note_add,
    rfi_answer,
    rfi_raise,
)
