from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from clinical.selectors.templates import session_template_list
from clinical.serializers.templates import SessionTemplateListSerializer


class TherapistSessionTemplatesView(APIView):
    throttle_scope = "api"

    @extend_schema(
        operation_id="therapists_session_templates",
        responses={200: SessionTemplateListSerializer},
        tags=["therapists"],
        description=(
            "The session templates a therapist can use: the practice-wide ones plus the "
            "therapist's own, by name. A therapist may read their own id, staff any therapist "
            "of the practice; anything else is a 404. Staff manage templates in the admin."
        ),
    )
    def get(self, request, therapist_id):
        templates = session_template_list(actor=request.user, therapist_id=therapist_id)
        return Response(SessionTemplateListSerializer({"templates": templates}).data)
