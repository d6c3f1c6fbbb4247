"""Sign-in, sign-out and password change in the app's own look."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from mshtgov.forms import GovukFormMixin


class SignInForm(GovukFormMixin, AuthenticationForm):
    # One message whether or not the account exists, so it reveals nothing.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
    }


class ChangePasswordForm(GovukFormMixin, PasswordChangeForm):
    pass


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class ChangePasswordView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "registration/password_change_form.html"
