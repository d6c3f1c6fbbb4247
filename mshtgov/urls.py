from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from mshtgov import accounts, views
from mshtgov.mfa import views as mfa_views
from mshtgov.personal_data import views as data_protection

admin.site.site_header = "MSHT Governance administration"
admin.site.site_title = "MSHT Governance"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/<slug:key>/", views.dashboard_panel, name="dashboard-panel"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page's <link rel="icon">: send them to the icon, signed in or not.
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url=f"{settings.STATIC_URL}img/favicon.svg", permanent=True)),
    ),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("glossary/", views.glossary, name="glossary"),
    path("audit/access-log/", views.access_log, name="access-log"),
    path("data-protection/", data_protection.overview, name="data-protection"),
    path(
        "data-protection/redact/<int:content_type_id>/<int:pk>/",
        data_protection.redact_view,
        name="data-protection-redact",
    ),
    path("data-protection/reviews/", data_protection.review_list, name="retention-reviews"),
    path("data-protection/reviews/<str:kind>/<int:pk>/", data_protection.review_decide, name="retention-review"),
    path("accounts/login/", login_not_required(accounts.SignInView.as_view()), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", accounts.ChangePasswordView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
    # Everything under /accounts/two-step/ stays reachable before the second step (mshtgov.mfa.middleware).
    path("accounts/two-step/", mfa_views.verify, name="mfa-verify"),
    path("accounts/two-step/recovery-code/", mfa_views.recovery, name="mfa-recovery"),
    path("accounts/two-step/enrol/", mfa_views.enrol, name="mfa-enrol"),
    path("accounts/two-step/set-up/", mfa_views.setup, name="mfa-setup"),
    path("accounts/two-step/recovery-codes/", mfa_views.recovery_codes, name="mfa-recovery-codes"),
    path("accounts/session/extend/", views.session_extend, name="session-extend"),
    path("strategy/", include("strategy.urls")),
    path("governance/", include("governance.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("learning/", include("learning.urls")),
    path("inspection/", include("inspection.urls")),
    path("operations/", include("operations.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "mshtgov.views.permission_denied"
handler404 = "mshtgov.views.page_not_found"
handler500 = "mshtgov.views.server_error"
