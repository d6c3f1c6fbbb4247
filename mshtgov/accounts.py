"""Sign-in, sign-out and password change in the app's own look."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.validators import MaxLengthValidator
from django.urls import reverse

from mshtgov import sessions
from mshtgov.forms import GovukFormMixin
from mshtgov.personal_data.screening import not_screened


class SignInForm(GovukFormMixin, AuthenticationForm):
    personal_data_policy = {"username": not_screened("A sign-in name, checked against accounts and never stored.")}
    # One message whether or not the account exists, so it reveals nothing.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's form sets the username's maximum length after building the field, so nothing checks it:
        # a name longer than any account's reached the lockout's record of failed attempts and failed there
        # (a server error). Checked here, beside the field, before any attempt is made or recorded.
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class ChangePasswordForm(GovukFormMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's help text for the new password is lazy: every mention in the field's template (its hint,
        # the hint's id in aria-describedby...) asked each password validator again, six times a page.
        field = self.fields["new_password1"]
        field.help_text = str(field.help_text)


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_success_url(self):
        # Straight on to the second step, carrying the (already checked) destination with it.
        target = super().get_success_url()
        if settings.MFA_REQUIRED:
            return f"{reverse('mfa-verify')}?{urlencode({'next': target})}"
        return target


class ChangePasswordView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "registration/password_change_form.html"

    def form_valid(self, form):
        # Changing the password signs out the user's other sessions and gives this one a new key, so
        # the session index now holds just this one (the admin's "end sessions" must still reach it).
        response = super().form_valid(form)
        sessions.sessions_replaced(form.user, self.request.session.session_key)
        return response
