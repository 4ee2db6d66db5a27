"""``GET /api/``: what this API is and where its documentation is."""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

ApiRootSerializer = inline_serializer(
    name="ApiRoot",
    fields={
        "name": serializers.CharField(),
        "version": serializers.CharField(),
        "docs": serializers.CharField(help_text="Swagger UI."),
        "redoc": serializers.CharField(help_text="Redoc."),
        "schema": serializers.CharField(help_text="The OpenAPI schema (YAML; ?format=json for JSON)."),
        "health": serializers.CharField(),
        "login": serializers.CharField(),
    },
)


class ApiRootView(APIView):
    """Anyone may ask: no data, only the API's name, version and links."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_scope = "api"

    @extend_schema(
        operation_id="api_root",
        description="The API's name and version, with links to its documentation, schema, health check and sign-in.",
        responses={200: ApiRootSerializer},
        tags=["api"],
    )
    def get(self, request):
        links = {name: request.build_absolute_uri(reverse(route)) for name, route in LINKS.items()}
        return Response(
            {
                "name": settings.SPECTACULAR_SETTINGS["TITLE"],
                "version": settings.SPECTACULAR_SETTINGS["VERSION"],
                **links,
            }
        )


LINKS = {"docs": "docs", "redoc": "redoc", "schema": "schema", "health": "health", "login": "auth-login"}
