from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cstraject.operations.health import health
from cstraject.operations.views import letter_download
from cstraject.web.views.auth import LoginView

urlpatterns = [
    path("health/", health, name="health"),
    path("brieven/<int:pk>/", letter_download, name="letter_download"),
    path("admin/", admin.site.urls),
    path("aanmelden/", LoginView.as_view(), name="login"),
    path("afmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("cstraject.web.urls")),
]

handler400 = "cstraject.web.views.errors.bad_request"
handler403 = "cstraject.web.views.errors.forbidden"
handler404 = "cstraject.web.views.errors.not_found"
handler500 = "cstraject.web.views.errors.server_error"
