"""Root URLs: the API under /api/, its schema and docs, and the admin."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from .api.views import api_not_found
from .views import (
    ClientViewSet,
    EmergencyContactView,
    HealthView,
    LoginView,
    LogoutView,
    MessageConversationView,
    MessageViewSet,
    MeView,
    NotificationCountsView,
    NotificationMarkAllReadView,
    RefreshTokenView,
    TwoFactorDisableView,
    TwoFactorSetupView,
    TwoFactorVerifyView,
    UserNotificationViewSet,
)
from .views_access_log import ClientAccessLogView
from .views_profile import (
    ProfilePhotoFileView,
    ProfilePhotoView,
    ProfileView,
    TherapistPhotoUploadView,
    TherapistPhotoView,
)
from .views_root import ApiRootView

router = SimpleRouter(trailing_slash=False, use_regex_path=False)
router.register("clients", ClientViewSet, basename="client")
router.register("notifications", UserNotificationViewSet, basename="notification")
router.register("messages", MessageViewSet, basename="message")

api_urlpatterns = [
    path("", ApiRootView.as_view(), name="api-root"),
    path("auth/login", LoginView.as_view(), name="auth-login"),
    path("auth/refresh-token", RefreshTokenView.as_view(), name="auth-refresh-token"),
    path("auth/logout", LogoutView.as_view(), name="auth-logout"),
    path("auth/me", MeView.as_view(), name="auth-me"),
    path("auth/setup-2fa", TwoFactorSetupView.as_view(), name="auth-setup-2fa"),
    path("auth/verify-2fa", TwoFactorVerifyView.as_view(), name="auth-verify-2fa"),
    path("auth/disable-2fa", TwoFactorDisableView.as_view(), name="auth-disable-2fa"),
    path("health", HealthView.as_view(), name="health"),
    path("profile", ProfileView.as_view(), name="profile"),
    path("profile/photo", ProfilePhotoView.as_view(), name="profile-photo-own"),
    path("profile/photo/<uuid:user_id>", ProfilePhotoFileView.as_view(), name="profile-photo"),
    path(
        "admin/therapists/<uuid:therapist_id>/photo/upload",
        TherapistPhotoUploadView.as_view(),
        name="admin-therapist-photo-upload",
    ),
    path("admin/therapists/<uuid:therapist_id>/photo", TherapistPhotoView.as_view(), name="admin-therapist-photo"),
    path("clients/<uuid:pk>/access-log", ClientAccessLogView.as_view(), name="client-access-log"),
    path("clients/<uuid:client_id>/emergency-contact", EmergencyContactView.as_view(), name="client-emergency-contact"),
    path("notifications/mark-all-read", NotificationMarkAllReadView.as_view(), name="notifications-mark-all-read"),
    path("therapist/notifications/counts", NotificationCountsView.as_view(), name="therapist-notification-counts"),
    path("messages/conversation/<uuid:user_id>", MessageConversationView.as_view(), name="message-conversation"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file of its own: no inline script, so the
    # Content-Security-Policy needs no 'unsafe-inline' for scripts.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("", include("clinical.urls")),
    path("", include("scheduling.urls")),
    path("", include("analytics.urls")),
    *router.urls,
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include(api_urlpatterns)),
    # Anything else under /api/ is the JSON 404 envelope, for every method.
    re_path(r"^api/", csrf_exempt(api_not_found)),
]

handler400 = "practice.api.views.handler400"
handler404 = "practice.api.views.handler404"
handler500 = "practice.api.views.handler500"
