from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .forms import AdminLoginForm
from .models import User

# The admin's sign-in shares the site's failed sign-in limits.
admin.site.login_form = AdminLoginForm


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "email", "is_verified", "is_staff", "date_joined"]
    list_filter = ["is_verified", "is_staff", "is_superuser", "is_active", "occupation"]
    search_fields = ["username", "display_name", "email"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("Author profile"),
            {"fields": ["display_name", "occupation", "tagline", "bio", "avatar", "is_verified"]},
        ),
    ]
