"""The "Follow" button other pages embed (the dashboards' summary of a ward or provider):

    {% load champions %}
    {% follow_button target %}

`target` is the dashboards' `Target` (or anything with `level` and `code`). It draws nothing
for a network, or for someone who may not follow this ward or provider.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from mhsip.champions.queries import follow_access, is_following
from mhsip.organisations.models import Organisation, OrganisationKind, Ward

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_button(context, target) -> SafeString:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return mark_safe("")
    level, code = str(target.level), target.code
    ward = provider = None
    if level == "ward":
        ward = Ward.objects.filter(code=code).first()
    elif level == "provider":
        provider = Organisation.objects.filter(code=code, kind=OrganisationKind.PROVIDER).first()
    if (ward or provider) is None or follow_access(user, ward=ward, provider=provider) is None:
        return mark_safe("")
    return render_to_string(
        "champions/includes/follow_form.html",
        {
            "level": level,
            "code": code,
            "name": (ward or provider).name,
            "following": is_following(user, ward=ward, provider=provider),
            "next": request.get_full_path(),
        },
        request=request,
    )
