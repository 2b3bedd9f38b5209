"""Login (throttled), logout and the role-based start page."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from cstraject.web import throttle

from .common import home_page


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Gebruikersnaam of wachtwoord is onjuist."),
        "locked": _("Te veel mislukte aanmeldpogingen. Probeer het over 15 minuten opnieuw."),
    }

    def clean(self):
        username = self.data.get("username", "")
        ip = throttle.client_ip(self.request)
        if throttle.is_locked(username, ip):
            raise ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.record_failure(username, ip)
            raise
        throttle.reset(username, ip)
        return cleaned


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


def home(request):
    if not request.user.is_authenticated:
        return redirect("login")
    actor = getattr(request, "actor", None)
    if actor is None:
        raise PermissionDenied("Uw account heeft geen rol in cstraject.")
    url = home_page(actor)
    if url is None:
        raise PermissionDenied("Uw rol heeft geen pagina in cstraject.")
    return redirect(url)
