# Production-like image for web, worker and beat (see docker-compose.yml).
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY assets ./assets
RUN mkdir -p static/vendor/govuk \
 && npx sass --no-source-map --quiet-deps --load-path=node_modules assets/scss/app.scss static/vendor/app.css \
 && cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/vendor/govuk/ \
 && cp -r node_modules/govuk-frontend/dist/govuk/assets static/vendor/govuk/ \
 && cp node_modules/htmx.org/dist/htmx.min.js static/vendor/ \
 && mkdir -p static/vendor/autocomplete \
 && cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.js node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.css static/vendor/autocomplete/

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# WeasyPrint needs Pango; fonts-liberation gives an Arial-metric font for PDFs.
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --uid 1000 mshtgov
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir .
COPY . .
COPY --from=assets /build/static/vendor ./static/vendor
RUN DEBUG=false SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
 && mkdir -p /data/private && chown -R mshtgov /data
USER mshtgov
EXPOSE 8000
CMD ["gunicorn", "mshtgov.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
