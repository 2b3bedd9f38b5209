from django.shortcuts import render


def forbidden(request, exception=None):
    return render(request, "web/error.html", {"code": 403, "exception": exception}, status=403)


def not_found(request, exception=None):
    return render(request, "web/error.html", {"code": 404}, status=404)
