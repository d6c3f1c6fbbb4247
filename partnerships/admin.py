from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from partnerships.models import PartnerOrganisation, PartnerProfile


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "country", "active")
    search_fields = ("name",)


@admin.register(PartnerProfile)
class PartnerProfileAdmin(SimpleHistoryAdmin):
    list_display = ("user", "organisation")
