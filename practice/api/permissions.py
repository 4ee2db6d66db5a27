from rest_framework.permissions import BasePermission


class IsPracticeMember(BasePermission):
    """Signed in, active, and belonging to a practice (the default for every endpoint)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.practice_id)


class IsTherapist(IsPracticeMember):
    message = "Only therapists may do this."

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and request.user.is_therapist


class IsPracticeStaff(IsPracticeMember):
    message = "Only practice staff may do this."

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and request.user.is_practice_staff
