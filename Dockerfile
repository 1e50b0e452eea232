# webexbot: the Slack app. HTTP mode listens on $PORT; with SLACK_APP_TOKEN set it uses Socket Mode.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=3000 \
    WEBEXBOT_DB=/data/webexbot.db

WORKDIR /app
COPY pyproject.toml README.md app_manifest.yaml ./
COPY bot ./bot
COPY commands ./commands
COPY storage ./storage
COPY webex ./webex
COPY sandbox ./sandbox
RUN pip install . \
    && useradd --system --uid 10001 --home-dir /app webexbot \
    && mkdir -p /data && chown webexbot /data

USER webexbot
VOLUME ["/data"]
EXPOSE 3000
# GET /healthz answers on PORT in both modes (in Socket Mode it is all that PORT serves).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)" || exit 1
CMD ["webexbot", "serve"]
