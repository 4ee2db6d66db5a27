"""The client's access log (NEN 7513) in the admin: a printable page and a CSV export,
for a period, in the client's language (or another one chosen on the page)."""

import csv
import datetime

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .api.request import client_ip
from .errors import DomainError
from .i18n import client_language
from .selectors_access_log import access_log_row
from .services.access_log import client_access_log_read


class AccessLogForm(forms.Form):
    start_date = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, required=False)


class AccessLogAdminMixin:
    """Adds ``<client>/access-log/`` (printable page) and ``<client>/access-log.csv``."""

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "<path:object_id>/access-log/",
                self.admin_site.admin_view(self.access_log_view),
                name="{}_{}_access_log".format(*info),
            ),
            path(
                "<path:object_id>/access-log.csv",
                self.admin_site.admin_view(self.access_log_csv),
                name="{}_{}_access_log_csv".format(*info),
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("access log"))
    def access_log_link(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        url = reverse("admin:practice_client_access_log", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Who opened this record (NEN 7513)"))

    def _access_log(self, request, object_id):
        client = self.get_object(request, object_id)
        if client is None:
            raise Http404
        if not self.has_view_permission(request, client):
            raise PermissionDenied
        form = AccessLogForm(request.GET or None)
        params = form.cleaned_data if form.is_valid() else {}
        language = params.get("language") or client_language(client)
        try:
            client, window, rows = client_access_log_read(
                actor=request.user,
                client_id=client.pk,
                start_date=params.get("start_date"),
                end_date=params.get("end_date"),
                ip_address=client_ip(request),
            )
        except DomainError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            form.add_error(None, exc.message)
            return client, form, None, language, []
        tz = client.practice.tzinfo
        with translation.override(language):
            lines = [access_log_row(row, tzinfo=tz) for row in rows]
        return client, form, window, language, lines

    def access_log_view(self, request, object_id):
        client, form, window, language, lines = self._access_log(request, object_id)
        with translation.override(language):
            title = gettext("Access log of %(client)s") % {"client": client}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": client,
            "client": client,
            "form": form,
            "window": window,
            "lines": lines,
            "language": language,
            "title": title,
            "csv_query": request.GET.urlencode(),
        }
        with translation.override(language):
            return TemplateResponse(request, "admin/practice/client/access_log.html", context).render()

    def access_log_csv(self, request, object_id):
        client, _form, _window, language, lines = self._access_log(request, object_id)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = f"access-log-{client.pk}-{datetime.date.today().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Content-Language"] = language
        with translation.override(language):
            writer = csv.writer(response)
            writer.writerow(
                [
                    gettext("Date"),
                    gettext("First time"),
                    gettext("Last time"),
                    gettext("Name"),
                    gettext("Role"),
                    gettext("Part of the record"),
                    gettext("Action"),
                    gettext("Times"),
                ]
            )
            for line in lines:
                writer.writerow(
                    [
                        line["date"].isoformat(),
                        formats.time_format(line["first_at"], "H:i"),
                        formats.time_format(line["last_at"], "H:i"),
                        line["actor"]["name"],
                        line["actor"]["role_label"],
                        line["record_label"],
                        line["action_label"],
                        line["count"],
                    ]
                )
        return response
