from .access import role_of


def roles(request):
    """The signed-in user's role, for menus (what is shown is still checked by the views)."""
    return {"user_role": role_of(getattr(request, "user", None))}
