import pytest


@pytest.fixture(autouse=True)
def private_root(tmp_path, settings):
    """Each test stores papers and packs in its own folder. Changing STORAGES resets Django's
    default storage (django.test.signals), so FileFields write here."""
    root = tmp_path / "private"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": "/no-public-url/"},
        },
    }
    return root


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run a service the way a request does: its on-commit callbacks (sending the build job, which
    runs eagerly here) fire when it returns, as they would outside the test's wrapping transaction."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = service(**kwargs)
        return result

    return run
