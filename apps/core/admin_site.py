from apps.core.roles import Role, has_role


def restrict_admin_to_administrators(site) -> None:
    """The Django admin is for active administrators only, whatever `is_staff` says."""

    def has_permission(request) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_staff
            and (user.is_superuser or has_role(user, Role.ADMINISTRATOR))
        )

    site.has_permission = has_permission
    site.site_header = "RareTrack administration"
    site.site_title = "RareTrack"
