# Image for web, worker and beat (docker-compose.yml). Python 3.11, pinned dependencies.
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml dev.py ./
RUN python - <<'PY'
import subprocess, sys, tomllib
deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]
subprocess.run([sys.executable, "-m", "pip", "install", "--no-cache-dir", *deps], check=True)
PY
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --no-input
RUN useradd --system loket && chown -R loket /app
USER loket
EXPOSE 8000
CMD ["gunicorn", "loket.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
