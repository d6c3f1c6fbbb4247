import pytest


@pytest.fixture(autouse=True)
def private_root(tmp_path, settings):
    """Each test stores bundles and papers in its own folder (see tests/governance/conftest.py)."""
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
