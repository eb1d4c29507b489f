"""The organisation tree and memberships in the Django admin, for the system administrator.

Patient-level data is deliberately not in the admin: the system administrator's role carries no
permission to see it. Every change here writes an audit event, as the services do.
"""

from django.contrib import admin

from mhsip.auditing import services as audit
from mhsip.organisations.models import Membership, Organisation, Ward


class AuditedAdmin(admin.ModelAdmin):
    def _ward_and_organisation(self, obj):
        return None, None

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        ward, organisation = self._ward_and_organisation(obj)
        audit.record_event(
            by=request.user,
            action=f"{obj._meta.model_name}.{'update' if change else 'create'}",
            target=obj,
            ward=ward,
            organisation=organisation,
            detail={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request, obj):
        ward, organisation = self._ward_and_organisation(obj)
        audit.record_event(
            by=request.user,
            action=f"{obj._meta.model_name}.delete",
            target=obj,
            ward=ward,
            organisation=organisation,
        )
        super().delete_model(request, obj)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "code", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "code")

    def _ward_and_organisation(self, obj):
        return None, obj


@admin.register(Ward)
class WardAdmin(AuditedAdmin):
    list_display = ("name", "code", "ward_type", "security_level", "beds", "site")
    list_filter = ("ward_type", "security_level")
    search_fields = ("name", "code")

    def _ward_and_organisation(self, obj):
        return obj, None


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "role", "ward", "organisation", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "ward__name", "organisation__name")

    def _ward_and_organisation(self, obj):
        return obj.ward, obj.organisation
