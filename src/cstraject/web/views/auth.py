"""Login, logout and the start page. Failed logins are counted by django-axes
(settings.AXES_*), for this form and the admin's alike."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from .common import home_page


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Gebruikersnaam of wachtwoord is onjuist."),
    }


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def home(request):
    if not request.user.is_authenticated:
        return redirect("login")
    actor = getattr(request, "actor", None)
    if actor is None:
        raise PermissionDenied(_("Uw account heeft geen rol in cstraject."))
    url = home_page(actor)
    if url is None:
        raise PermissionDenied(_("Uw rol heeft geen pagina in cstraject."))
    return redirect(url)
