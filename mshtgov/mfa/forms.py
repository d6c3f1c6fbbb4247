"""The one-field forms of the two-step pages (GOV.UK styling from mshtgov.forms)."""

from django import forms

from mshtgov.forms import GovukForm


class AppCodeForm(GovukForm):
    """A code from the authenticator app: a numeric keypad on phones, and the browser may offer the
    code itself (autocomplete="one-time-code")."""

    personal_data_exempt_reason = "A one-time sign-in code, checked and never stored."

    code = forms.CharField(
        label="6-digit code",
        help_text="Your authenticator app shows a new code every 30 seconds.",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-10",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )
    wrong_message = "The code is not right or has already been used. Enter the code your app shows now."


class RecoveryCodeForm(GovukForm):
    """A recovery code has letters, so an ordinary keyboard, unlike the app code."""

    personal_data_exempt_reason = "A one-time recovery code, checked and never stored."

    code = forms.CharField(
        label="Recovery code",
        help_text="One of the recovery codes you saved when you set up two-step sign-in. Each code works once.",
        max_length=40,
        error_messages={"required": "Enter a recovery code"},
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-10",
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )
    wrong_message = "The recovery code is not right or has already been used."


class EnrolmentCodeForm(GovukForm):
    """The one-time code an admin gave the user to set up two-step sign-in."""

    personal_data_exempt_reason = "A one-time enrolment code, checked and never stored (only its hash is)."

    code = forms.CharField(
        label="Enrolment code",
        help_text="12 letters and numbers, for example abcd-efgh-jk23. It works once and expires after 3 days.",
        max_length=40,
        error_messages={"required": "Enter the enrolment code you were given"},
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-20",
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )
    wrong_message = (
        "The enrolment code is not right, has been used or has expired. Check it, or ask your administrator "
        "for a new one."
    )


def too_many_attempts(seconds: int) -> str:
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many attempts: wait {seconds} {unit}, then try again."
