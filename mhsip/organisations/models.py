"""The organisation tree: network -> provider -> site -> ward, and who belongs where.

One `Organisation` model with a kind and a parent (as openprescribing-v2's ADR 001 argues: sign-ups,
memberships and aggregates can belong to any kind), and a separate `Ward`, which carries beds and
is where patients stay and force is used.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class OrganisationKind(models.TextChoices):
    NETWORK = "network", "Network (Patient Safety Collaborative)"
    PROVIDER = "provider", "Provider (NHS trust or independent provider)"
    SITE = "site", "Site or unit"


#: Which kind of organisation each kind hangs under.
PARENT_KIND = {
    OrganisationKind.PROVIDER: OrganisationKind.NETWORK,
    OrganisationKind.SITE: OrganisationKind.PROVIDER,
}


class Organisation(models.Model):
    kind = models.CharField(max_length=16, choices=OrganisationKind.choices)
    #: ODS code for a provider (e.g. RX4) or site; a short code of our own for a network.
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def ancestors_and_self(self) -> list[Organisation]:
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    @property
    def provider(self) -> Organisation | None:
        for node in self.ancestors_and_self():
            if node.kind == OrganisationKind.PROVIDER:
                return node
        return None


class WardType(models.TextChoices):
    ADULT_ACUTE = "adult_acute", "Adult acute"
    PICU = "picu", "Psychiatric intensive care (PICU)"
    OLDER_ADULT = "older_adult", "Older adult"
    LEARNING_DISABILITY = "learning_disability", "Learning disability"
    AUTISM = "autism", "Autism"
    FORENSIC_LOW = "forensic_low", "Forensic, low secure"
    FORENSIC_MEDIUM = "forensic_medium", "Forensic, medium secure"
    FORENSIC_HIGH = "forensic_high", "Forensic, high secure"
    CAMHS_TIER4 = "camhs_tier4", "CAMHS tier 4 (children and young people)"
    EATING_DISORDER = "eating_disorder", "Eating disorder"
    REHABILITATION = "rehabilitation", "Rehabilitation"
    PERINATAL = "perinatal", "Perinatal (mother and baby)"
    OTHER = "other", "Other"


class SecurityLevel(models.TextChoices):
    GENERAL = "general", "General (not secure)"
    LOW = "low", "Low secure"
    MEDIUM = "medium", "Medium secure"
    HIGH = "high", "High secure"


class Ward(models.Model):
    site = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="wards")
    #: MHSDS UniqWardCode where the ward comes from an MHSDS extract; our own code otherwise.
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    ward_type = models.CharField(max_length=32, choices=WardType.choices)
    security_level = models.CharField(
        max_length=16, choices=SecurityLevel.choices, default=SecurityLevel.GENERAL
    )
    beds = models.PositiveIntegerField()
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def provider(self) -> Organisation:
        return self.site.parent


class Membership(models.Model):
    """A role granted to a person on a ward, an organisation, or (system roles) everywhere.

    A role on an organisation reaches everything below it: a provider role covers the provider's
    sites and wards. Written only through `mhsip.organisations.services`.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=40)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    ward = models.ForeignKey(
        Ward, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="membership_on_one_place_at_most",
                condition=~models.Q(organisation__isnull=False, ward__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation", "ward"], name="membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} as {self.role} on {self.ward or self.organisation or 'everything'}"
