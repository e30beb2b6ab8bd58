from apps.core import navigation, roles


def portal(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "nav_items": [],
            "nav_menu": {"bar": [], "account": []},
            "current_role": None,
            "current_organisation": None,
        }
    membership = getattr(user, "membership", None)
    organisation = membership.organisation if membership else None
    verified = organisation is None or organisation.is_verified
    return {
        "nav_items": navigation.items_for(user, company_verified=verified),
        "nav_menu": navigation.menu_for(user, company_verified=verified),
        "current_role": roles.primary_role(user),
        "current_roles": roles.user_roles(user),
        "current_organisation": organisation,
    }
