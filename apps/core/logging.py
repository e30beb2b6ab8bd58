import logging

from apps.core import context


class RequestContextFilter(logging.Filter):
    """Adds the request id and user id to every record, so one request's lines can be found."""

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = context.current()
        record.request_id = ctx.request_id
        record.user_id = ctx.user_id
        return True
