from django.utils.translation import gettext, gettext_lazy
from rest_framework.permissions import BasePermission

from practice.errors import PermissionDeniedError, PracticeError
from practice.selectors import user_two_factor_missing

TWO_FACTOR_REQUIRED = PracticeError.TWO_FACTOR_REQUIRED


class IsPracticeMember(BasePermission):
    """Signed in, active, belonging to a practice, and (the default for every endpoint)
    past two-factor setup where it is required: a therapist without it reaches only the
    views marked ``two_factor_exempt`` (the two-factor endpoints, ``/auth/me``) and gets
    a 403 ``two_factor_required`` everywhere else."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.practice_id):
            return False
        if not getattr(view, "two_factor_exempt", False) and user_two_factor_missing(user):
            raise PermissionDeniedError(
                TWO_FACTOR_REQUIRED,
                gettext(
                    "Set up two-factor authentication first (POST /api/auth/setup-2fa, then /api/auth/verify-2fa)."
                ),
            )
        return True


class IsTherapist(IsPracticeMember):
    message = gettext_lazy("Only therapists may do this.")

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and request.user.is_therapist


class IsPracticeStaff(IsPracticeMember):
    message = gettext_lazy("Only practice staff may do this.")

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and request.user.is_practice_staff
