"""People in the Django admin, for the system administrator. Every change is audited."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from mhsip.accounts.models import User
from mhsip.auditing import services as audit


@admin.register(User)
class MhsipUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Work", {"fields": ("job_title",)}))
    list_display = ("username", "first_name", "last_name", "job_title", "is_active")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record_event(
            by=request.user,
            action="user.update" if change else "user.create",
            target=obj,
            detail={"fields": sorted(form.changed_data)},
        )
