"""The benchmark server's URLs: the straightforward DRF lists under /baseline/, then the
project's own."""

from django.urls import include, path

from practice.urls import urlpatterns as project_urlpatterns

from .baseline import router

urlpatterns = [path("baseline/", include(router.urls)), *project_urlpatterns]
