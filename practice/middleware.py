"""Middleware for the pages Django serves itself (the admin): a signed-in staff member
sees them in their own language and their practice's time zone."""

from django.utils import timezone

from practice.i18n import activate_for_user


class AdminLocaleMiddleware:
    """After ``AuthenticationMiddleware``: for a user signed in with a session (the admin),
    the user's language (``practice.i18n.user_language``) and the practice's time zone, so
    that times are shown and entered as the practice's clocks read them. API requests carry
    a bearer token instead; their language is set when DRF authenticates them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            activate_for_user(request, user)
            practice = user.practice if user.practice_id else None
            if practice is not None:
                timezone.activate(practice.tzinfo)
                try:
                    return self.get_response(request)
                finally:
                    timezone.deactivate()
        return self.get_response(request)
