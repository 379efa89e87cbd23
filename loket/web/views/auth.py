"""Staff log-in and log-out (Django's auth views), throttled like the API's token endpoint."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from loket.core.actors import Actor, Role

from ..throttling import rate_allowed

START_PAGE = {
    Role.BROKER: "web:board",
    Role.MANAGER: "web:stalled",
    Role.OFFICIAL: "web:inbox",
}


def start_url(request: HttpRequest) -> str:
    """Where a staff member lands after logging in: the page of their role."""
    name = START_PAGE.get(Actor.for_user(request.user).role)
    try:
        return reverse(name) if name else reverse("web:home")
    except NoReverseMatch:  # that role's pages are not deployed
        return reverse("web:home")


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        allowed, wait = rate_allowed(request, "login")
        if not allowed:
            response = render(request, "web/login.html", {
                "form": self.get_form(), "throttled": True, "wait": wait,
                "next": self.get_redirect_url(),
            }, status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def get_default_redirect_url(self) -> str:
        return start_url(self.request)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["page_title"] = _("Inloggen voor medewerkers")
        return context


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5); the form in the header carries the CSRF token."""
