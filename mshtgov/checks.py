"""System checks for settings Django's own deploy checks know nothing about."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def site_url_is_set_for_production(app_configs=None, **kwargs):
    site_url = settings.SITE_URL
    if not site_url:
        return [
            Warning(
                "SITE_URL is not set, so links in reminder emails cannot reach the app.",
                hint="Set SITE_URL to the address users reach the app at, e.g. https://msht.force.example.",
                id="mshtgov.W001",
            )
        ]
    if settings.HTTPS_ONLY and not site_url.startswith("https://"):
        return [
            Warning(
                f"SITE_URL {site_url!r} is not an https:// address, so emailed links would leave TLS.",
                hint="Use the https:// address the app is served at.",
                id="mshtgov.W002",
            )
        ]
    return []


@register(Tags.caches, deploy=True)
def shared_cache_in_production(app_configs=None, **kwargs):
    """Figures are cached and invalidated through version counters held in the cache. Without a shared cache
    (CACHE_URL), each worker process keeps its own and never sees another's writes, so one worker would go
    on showing a figure another has made obsolete."""
    if settings.DEBUG or settings.CACHE_URL:
        return []
    return [
        Error(
            "CACHE_URL is not set: each worker process would cache figures of its own and show figures "
            "older than the last change made through another worker.",
            hint="Set CACHE_URL to the shared Redis cache, e.g. redis://cache.internal:6379/1.",
            id="mshtgov.E001",
        )
    ]
