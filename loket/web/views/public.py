"""Public pages: the start page and the accessibility statement."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .auth import start_url


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"start_url": start_url(request)})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html")
