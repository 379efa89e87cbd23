"""Loket: intake and routing of residents' initiatives for Dutch municipalities."""

from .celery import app as celery_app

__all__ = ["celery_app"]
