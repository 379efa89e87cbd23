"""WSGI entry point (gunicorn loket.wsgi)."""

import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")

# gunicorn runs several threads per process. A thread whose database answer arrived waits
# for the GIL up to the switch interval (Python's default: 5 ms) at every statement; with
# 1 ms a submission's threads finish their transactions sooner (measured: about 15% more
# submissions a second at 8 clients, docs/performance.md).
sys.setswitchinterval(float(os.environ.get("LOKET_SWITCH_INTERVAL_MS", "1")) / 1000)

application = get_wsgi_application()
