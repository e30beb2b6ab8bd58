from functools import cache


def inbox(request) -> dict:
    """The unread count for the bell in the navigation bar.

    A callable: the template calls it only where it is shown, and `cache` keeps it to one COUNT.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from apps.notifications.selectors import unread_count_for

    @cache
    def unread_notifications() -> int:
        return unread_count_for(user)

    return {"unread_notifications": unread_notifications}
