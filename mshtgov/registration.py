"""How a domain app plugs into the core, one way for every app.

Each domain app has a `registration.py` with two functions:

- `grant_roles()`: the model permissions each role holds (`mshtgov.roles.grant`);
- `register()`: calls `grant_roles()`, then registers the app's menu entries (`mshtgov.navigation`),
  dashboard panels (`mshtgov.panels`), board-pack sections and demo seeders (`mshtgov.demo`), and any
  hooks it offers another app.

Its AppConfig subclasses `DomainAppConfig`, whose `ready()` calls `register()`: nothing else in an app
runs at start-up, so what an app adds to the shared registries is read in one file.
"""

from importlib import import_module

from django.apps import AppConfig


class DomainAppConfig(AppConfig):
    def ready(self):
        import_module(f"{self.name}.registration").register()
