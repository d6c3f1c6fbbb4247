from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from partnerships.models import (
    ICTGReferral,
    InformationSharingAgreement,
    Membership,
    PartnerOrganisation,
    PartnerProfile,
    Partnership,
    SafeguardingNotification,
    SupportService,
    TermsOfReference,
)


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "country", "active")
    search_fields = ("name",)


@admin.register(PartnerProfile)
class PartnerProfileAdmin(SimpleHistoryAdmin):
    list_display = ("user", "organisation")


# The records below are managed in the app's own pages (services keep grants in step with memberships);
# the admin shows them read-only so nobody can change a membership behind the grants' back.
class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for _model, _fields in [
    (Partnership, ("name", "kind", "coordinator", "board", "active")),
    (Membership, ("partnership", "organisation", "joined_on")),
    (TermsOfReference, ("partnership", "version", "status", "approved_on", "review_date")),
    (InformationSharingAgreement, ("reference", "title", "partnership", "status", "end_date")),
    (SafeguardingNotification, ("incident_reference", "body", "incident_recorded_on", "notified_on")),
    (SupportService, ("name", "stage", "kind", "capacity", "end_date")),
    (ICTGReferral, ("child_reference", "status", "next_review_on")),
]:
    admin.site.register(_model, type(f"{_model.__name__}Admin", (ReadOnlyHistoryAdmin,), {"list_display": _fields}))
