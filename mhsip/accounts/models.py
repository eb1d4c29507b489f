from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in. What they may see and do comes from their memberships
    (`mhsip.organisations.models.Membership`), never from flags on the account."""

    job_title = models.CharField(max_length=200, blank=True)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
