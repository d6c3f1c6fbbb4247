"""The layout around every page, written out in Python (issue 15): the banner with the protective marking,
the header with the signed-in user and their sign-out button, the menu, the breadcrumbs, the messages, the
footer, the bottom banner and the session-timeout dialog.

`base.html` drew these through the template engine: eighty variable lookups, forty conditions and four
included templates on every page, 0.6 ms of the 2.3 ms the bare signed-in page costs, more than any other
part of it. Here they are the same markup, written in one pass from the same context (so a view that sets
`wide_page` or a context processor's lazy `nav_items` work as before), every value escaped as the template
escaped it. `templates/base.html` calls them through the `layout_*` tags of `mshtgov.templatetags.govuk`;
tests/core/test_layout_one_pass.py compares the result with the templates they replace, page by page."""

from django.template.defaulttags import CsrfTokenNode
from django.templatetags.static import static
from django.utils.html import conditional_escape

from mshtgov.navigation import url_of

_CSRF = CsrfTokenNode()


def _esc(value) -> str:
    """`{{ value }}` in a template: text as it is when marked safe, anything else made text, then escaped."""
    return conditional_escape(value if isinstance(value, str) else str(value))


def _signed_in(context) -> bool:
    user = context.get("user")
    return bool(user is not None and user.is_authenticated)


def _wide(context) -> str:
    return " app-width-container--wide" if context.get("wide_page") else ""


def _container(context) -> str:
    return f'<div class="govuk-width-container{_wide(context)}">'


def marking_banner(context, position: str) -> str:
    marking = context.get("page_marking")
    sensitive = " app-marking--sensitive" if marking == "OFFICIAL-SENSITIVE" else ""
    label = _esc(marking) if marking else "OFFICIAL"
    return (
        f'<div class="app-marking app-marking--{position}{sensitive}">\n'
        '  <p class="app-marking__text"><span class="govuk-visually-hidden">Protective marking: </span>'
        f"{label}</p>\n</div>\n"
    )


def top(context) -> str:
    """From `<body>` to the opening of the page's width container."""
    signed_in = _signed_in(context)
    wide = _wide(context)
    out = ['<body class="govuk-template__body"']
    if signed_in:
        out.append(
            f' data-session-timeout="{_esc(context.get("session_timeout_seconds"))}"'
            f' data-session-warning="{_esc(context.get("session_warning_seconds"))}"'
        )
    out.append(
        f'>\n  <script src="{static("js/js-enabled.js")}"></script>\n'
        '  <a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>\n  '
    )
    out.append(marking_banner(context, "top"))
    service = _esc(context.get("service_name", ""))
    out.append(
        '\n  <header class="govuk-generic-header">\n'
        f'    <div class="govuk-generic-header__container govuk-width-container{wide} app-header">\n'
        '      <div class="govuk-generic-header__logo">\n'
        f'        <a href="{url_of("home")}" class="govuk-generic-header__homepage-link">{service}</a>\n'
        "      </div>\n      "
    )
    if signed_in:
        user = context["user"]
        name = _esc(user.get_full_name() or user.get_username())
        out.append(
            '\n      <div class="app-header__account">\n'
            f'        <span class="app-header__user">Signed in as {name}</span>\n'
            f'        <a class="app-header__link" href="{url_of("password_change")}">Change password</a>\n'
            f'        <form method="post" action="{url_of("logout")}" class="app-header__signout">'
            f"{_CSRF.render(context)}\n"
            '          <button type="submit" class="app-header__button">Sign out</button>\n'
            "        </form>\n      </div>\n      "
        )
    out.append("\n    </div>\n  </header>\n  ")
    nav_items = context.get("nav_items")
    if nav_items:
        out.append(
            '\n  <section aria-label="Service navigation" class="govuk-service-navigation"'
            ' data-module="govuk-service-navigation">\n'
            f"    {_container(context)}\n"
            '      <div class="govuk-service-navigation__container">\n'
            '        <nav aria-label="Menu" class="govuk-service-navigation__wrapper">\n'
            '          <button type="button" class="govuk-service-navigation__toggle'
            ' govuk-js-service-navigation-toggle" aria-controls="navigation" hidden aria-hidden="true">Menu</button>\n'
            '          <ul class="govuk-service-navigation__list" id="navigation">\n            '
        )
        for item in nav_items:
            label, url = _esc(item["label"]), _esc(item["url"])
            if item["active"]:
                out.append(
                    '\n            <li class="govuk-service-navigation__item'
                    ' govuk-service-navigation__item--active">\n'
                    f'              <a class="govuk-service-navigation__link" href="{url}" aria-current="true">'
                    f'<strong class="govuk-service-navigation__active-fallback">{label}</strong></a>\n'
                    "            </li>\n            "
                )
            else:
                out.append(
                    '\n            <li class="govuk-service-navigation__item">\n'
                    f'              <a class="govuk-service-navigation__link" href="{url}">{label}</a>\n'
                    "            </li>\n            "
                )
        out.append("\n          </ul>\n        </nav>\n      </div>\n    </div>\n  </section>\n  ")
    out.append(f"\n  {_container(context)}\n    ")
    return "".join(out)


def breadcrumbs(context) -> str:
    crumbs = context.get("breadcrumbs")
    if not crumbs:
        return ""
    out = [
        '\n    <nav class="govuk-breadcrumbs" aria-label="Breadcrumb">\n'
        '      <ol class="govuk-breadcrumbs__list">\n'
        f'        <li class="govuk-breadcrumbs__list-item"><a class="govuk-breadcrumbs__link" href="{url_of("home")}">'
        "Home</a></li>\n        "
    ]
    for label, url in crumbs:
        label = _esc(label)
        link = f'<a class="govuk-breadcrumbs__link" href="{_esc(url)}">{label}</a>' if url else label
        out.append(f'\n        <li class="govuk-breadcrumbs__list-item">{link}</li>\n        ')
    out.append("\n      </ol>\n    </nav>\n    ")
    return "".join(out)


_LEVEL_TITLES = {"error": "Problem", "warning": "Warning"}


def messages(context) -> str:
    out = []
    for counter, message in enumerate(context.get("messages") or (), start=1):
        text = _esc(message)
        if message.level_tag == "success":
            out.append(
                '\n\n<div class="govuk-notification-banner govuk-notification-banner--success" role="alert"'
                f' aria-labelledby="banner-title-{counter}" data-module="govuk-notification-banner">\n'
                '  <div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title"'
                f' id="banner-title-{counter}">Success</h2></div>\n'
                '  <div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">'
                f"{text}</p></div>\n</div>\n\n"
            )
        else:
            title = _LEVEL_TITLES.get(message.level_tag, "Important")
            out.append(
                '\n\n<div class="govuk-notification-banner" role="region"'
                f' aria-labelledby="banner-title-{counter}" data-module="govuk-notification-banner">\n'
                '  <div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title"'
                f' id="banner-title-{counter}">{title}</h2></div>\n'
                '  <div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">'
                f"{text}</p></div>\n</div>\n\n"
            )
    out.append("\n")
    return "".join(out)


def bottom(context) -> str:
    """From the footer to `</body>`."""
    signed_in = _signed_in(context)
    service = _esc(context.get("service_name", ""))
    out = [f'<footer class="govuk-footer">\n    {_container(context)}\n']
    out.append(
        '      <div class="govuk-footer__meta">\n'
        '        <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">\n          '
    )
    if signed_in:
        out.append(
            '\n            <h2 class="govuk-visually-hidden">Support links</h2>\n'
            '            <ul class="govuk-footer__inline-list">\n'
            '              <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link"'
            f' href="{url_of("glossary")}">Glossary of abbreviations</a></li>\n'
            '              <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link"'
            f' href="{url_of("accessibility")}">Accessibility statement</a></li>\n'
            "            </ul>\n          "
        )
    out.append(
        f'\n          <p class="govuk-body-s">{service}: a record of how the force governs its response to modern'
        " slavery and human trafficking.</p>\n        </div>\n      </div>\n    </div>\n  </footer>\n  "
    )
    out.append(marking_banner(context, "bottom"))
    out.append("\n  ")
    if signed_in:
        out.append(_session_dialog(context))
    out.append(
        f'\n  <script type="module" src="{static("js/app.mjs")}"></script>\n'
        f'  <script src="{static("vendor/htmx.min.js")}" defer></script>\n</body>'
    )
    return "".join(out)


def _session_dialog(context) -> str:
    token = _CSRF.render(context)
    request = context.get("request")
    here = _esc(request.get_full_path()) if request is not None else ""
    return (
        '<dialog class="app-session-dialog" id="session-dialog" role="alertdialog" aria-modal="true"'
        ' aria-labelledby="session-dialog-title" aria-describedby="session-dialog-text">\n'
        '  <h2 class="govuk-heading-m" id="session-dialog-title">You will be signed out soon</h2>\n'
        '  <p class="govuk-body" id="session-dialog-text">For your security you will be signed out in'
        ' <span class="app-session-dialog__time">3 minutes</span> if you do nothing. Anything you have not saved'
        " will be lost.</p>\n"
        '  <div class="govuk-button-group">\n'
        f'    <form method="post" action="{url_of("session-extend")}" class="app-session-dialog__extend">{token}\n'
        f'      <input type="hidden" name="next" value="{here}">\n'
        '      <button type="submit" class="govuk-button" data-module="govuk-button">Stay signed in</button>\n'
        "    </form>\n"
        f'    <form method="post" action="{url_of("logout")}">{token}\n'
        '      <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">'
        "Sign out now</button>\n    </form>\n  </div>\n</dialog>\n"
    )
