# Production image: gunicorn for the web, the same image for the Celery worker and beat. Python packages come
# from the hashed universal lock (requirements/base.txt) through the pinned installer (requirements/bootstrap.txt); the code runs from /app, so the project itself is not installed.
# No system font is needed: pages and reports draw every character from the fonts the project ships
# (static/css/fonts.css). Debian's fontconfig still pulls one in (fonts-dejavu-core); no report embeds it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      nodejs npm curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY requirements/bootstrap.txt requirements/base.txt requirements/
RUN pip install --no-deps --require-hashes -r requirements/bootstrap.txt \
 && uv pip install --system --require-hashes -r requirements/base.txt \
 && pip uninstall -y -q uv
COPY . .
RUN useradd --system --home /app app \
 && SECRET_KEY=build-only PRODUCTION=true ALLOWED_HOSTS=build python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media /app/var/beat && chown -R app /app/var
USER app
EXPOSE 8000
# Worker count, bind and timeouts in gunicorn.conf.py (its timeout stays above the app's REQUEST_TIMEOUT_SECONDS).
CMD ["gunicorn", "commissioning.wsgi:application", "-c", "gunicorn.conf.py"]
