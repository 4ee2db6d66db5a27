from rest_framework.routers import SimpleRouter

router = SimpleRouter(trailing_slash=False, use_regex_path=False)

urlpatterns = [
    *router.urls,
]
