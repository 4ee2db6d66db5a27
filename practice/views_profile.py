"""The signed-in user's profile and profile photos, and staff's photo actions on a therapist."""

from django.http import FileResponse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotAuthenticated
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from . import photos, selectors
from .api.envelope import envelope
from .api.parsers import LimitedMultiPartParser
from .api.permissions import IsPracticeStaff
from .api.serializers import MessageSerializer
from .serializers_profile import (
    PhotoLinkSerializer,
    PhotoUploadInputSerializer,
    ProfileSerializer,
    ProfileUpdateInputSerializer,
)
from .services import profile as profile_services

# How long a browser may keep a photo it fetched (a replaced photo has a new link).
PHOTO_CACHE_CONTROL = "private, max-age=3600"
PHOTO_CONTENT_TYPES = ("image/jpeg", "image/png", "image/webp")


class ProfileView(APIView):
    """The signed-in user's own profile: name, phone, language and, for a therapist, the
    professional profile the profile page edits."""

    throttle_scope = "api"

    @extend_schema(operation_id="profile_get", responses={200: ProfileSerializer}, tags=["profile"])
    def get(self, request):
        return Response(ProfileSerializer(selectors.profile_get(actor=request.user)).data)

    @extend_schema(
        operation_id="profile_update",
        request=ProfileUpdateInputSerializer,
        responses={200: ProfileSerializer},
        tags=["profile"],
        description=(
            "Update the signed-in user's profile. Every field is optional; one left out keeps its value. "
            "The phone number is validated, read in the practice's country unless written with a `+` country "
            "code, and stored in E.164. The professional fields (bio, specializations, ...) are a therapist's "
            "only: staff sending them get a 400. The email is not changed here."
        ),
    )
    def put(self, request):
        serializer = ProfileUpdateInputSerializer(data=request.data, region=request.user.practice.country)
        serializer.is_valid(raise_exception=True)
        profile_services.profile_update(
            actor=request.user,
            user_data=serializer.validated_data["user"],
            therapist_data=serializer.validated_data["therapist"],
        )
        return Response(ProfileSerializer(selectors.profile_get(actor=request.user)).data)


class PhotoUploadMixin:
    parser_classes = [LimitedMultiPartParser]
    throttle_scope = "uploads"

    def _upload(self, request):
        serializer = PhotoUploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data["photo"]


UPLOAD_DESCRIPTION = (
    "multipart/form-data with the image in the field `photo`: JPEG, PNG or WebP (told from the bytes, not the "
    "name or the declared type), at most 5 MB and 40 megapixels. The image is re-encoded: turned upright, at "
    "most 1024 px on its longest side, with no metadata (EXIF, GPS) kept. It replaces the previous photo. "
    "Answers `photoUrl`, the signed link to the new photo."
)


class ProfilePhotoView(PhotoUploadMixin, APIView):
    """The signed-in user's own photo."""

    @extend_schema(
        operation_id="profile_photo_upload",
        request={"multipart/form-data": PhotoUploadInputSerializer},
        responses={200: PhotoLinkSerializer},
        tags=["profile"],
        description=UPLOAD_DESCRIPTION,
    )
    def post(self, request):
        upload = self._upload(request)
        user = profile_services.profile_photo_set(actor=request.user, upload=upload, size=upload.size)
        return Response(
            envelope({"photoUrl": selectors.user_profile_photo_url(user)}, message=gettext("Profile photo updated."))
        )

    @extend_schema(
        operation_id="profile_photo_delete",
        request=None,
        responses={200: MessageSerializer},
        tags=["profile"],
        description="Remove the signed-in user's photo. Without a photo, a 404.",
    )
    def delete(self, request):
        profile_services.profile_photo_remove(actor=request.user)
        return Response(
            envelope({"detail": gettext("Profile photo deleted.")}, message=gettext("Profile photo deleted."))
        )


class AlwaysJSONNegotiation(BaseContentNegotiation):
    """Errors are always the JSON envelope; whether a success is the image or its link is
    decided by the view (an <img> asks for images, the frontend's axios for JSON)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _wants_json(request) -> bool:
    accept = request.META.get("HTTP_ACCEPT", "")
    return "application/json" in accept and "image/" not in accept


class ProfilePhotoFileView(APIView):
    """One user's photo, for members of their practice."""

    # Signed links open the photo without a token (see the description); a bearer token is
    # checked against the practice in the selector.
    permission_classes = [AllowAny]
    content_negotiation_class = AlwaysJSONNegotiation
    throttle_scope = "api"

    @extend_schema(
        operation_id="profile_photo_get",
        tags=["profile"],
        parameters=[
            OpenApiParameter("expires", OpenApiTypes.STR, required=False, description="From a signed link."),
            OpenApiParameter("signature", OpenApiTypes.STR, required=False, description="From a signed link."),
        ],
        responses={
            **{
                (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description="The image.")
                for content_type in PHOTO_CONTENT_TYPES
            },
            (200, "application/json"): PhotoLinkSerializer,
        },
        description=(
            "The user's photo. Either with a bearer token, by a member of the user's practice (anyone else, "
            "and a user without a photo, get a 404), or without a token through the signed link "
            "`profile_photo_url` (an altered, expired or superseded link is a 403 `photo_link_invalid`). "
            "Asked with `Accept: application/json` (and no image type), the answer is the envelope with "
            "`photoUrl`, a fresh signed link; otherwise the image itself, `Cache-Control: private`."
        ),
    )
    def get(self, request, user_id):
        if request.user and request.user.is_authenticated:
            user = selectors.profile_photo_owner_get(actor=request.user, user_id=user_id)
        elif "signature" in request.query_params or "expires" in request.query_params:
            user = selectors.profile_photo_owner_get_by_link(
                user_id=user_id,
                expires=request.query_params.get("expires"),
                signature=request.query_params.get("signature"),
            )
        else:
            raise NotAuthenticated()
        if _wants_json(request):
            return Response({"photoUrl": selectors.user_profile_photo_url(user)})
        name = user.profile_photo.name
        stored = user.profile_photo.storage.open(name, "rb")
        response = FileResponse(stored, content_type=photos.photo_content_type(name))
        response["Cache-Control"] = PHOTO_CACHE_CONTROL
        response["Content-Disposition"] = "inline"
        return response


class TherapistPhotoUploadView(PhotoUploadMixin, APIView):
    """Practice staff set a therapist's photo."""

    permission_classes = [IsPracticeStaff]

    @extend_schema(
        operation_id="admin_therapist_photo_upload",
        request={"multipart/form-data": PhotoUploadInputSerializer},
        responses={200: PhotoLinkSerializer},
        tags=["admin"],
        description=UPLOAD_DESCRIPTION + " Practice staff only; a therapist of another practice is a 404.",
    )
    def post(self, request, therapist_id):
        upload = self._upload(request)
        user = profile_services.therapist_photo_set(
            actor=request.user, therapist_id=therapist_id, upload=upload, size=upload.size
        )
        return Response(
            envelope({"photoUrl": selectors.user_profile_photo_url(user)}, message=gettext("Profile photo updated."))
        )


class TherapistPhotoView(APIView):
    """Practice staff remove a therapist's photo."""

    permission_classes = [IsPracticeStaff]
    throttle_scope = "api"

    @extend_schema(
        operation_id="admin_therapist_photo_delete",
        request=None,
        responses={200: MessageSerializer},
        tags=["admin"],
        description="Practice staff only; a therapist of another practice, or one without a photo, is a 404.",
    )
    def delete(self, request, therapist_id):
        profile_services.therapist_photo_remove(actor=request.user, therapist_id=therapist_id)
        return Response(
            envelope({"detail": gettext("Profile photo deleted.")}, message=gettext("Profile photo deleted."))
        )
