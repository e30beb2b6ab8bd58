"""A Celery task runs in its own action context: its writes are audited as "task <name>".

Bound before the task body (in a worker and in `apply()` alike) and reset after it, with the task
id as the request id, so the audit trail and the logs name the task that acted for nobody.
"""

from celery.signals import task_postrun, task_prerun

from apps.core import context

_tokens: dict[str, object] = {}


@task_prerun.connect(dispatch_uid="core.task_context_bind")
def _bind(task_id=None, task=None, **kwargs) -> None:
    _tokens[task_id] = context.bind(context.ActionContext(request_id=task_id, task=task.name))


@task_postrun.connect(dispatch_uid="core.task_context_reset")
def _reset(task_id=None, **kwargs) -> None:
    token = _tokens.pop(task_id, None)
    if token is not None:
        context.reset(token)
