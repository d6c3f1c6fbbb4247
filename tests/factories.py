"""Factories for the records every app's tests need. No randomness: tests say what they depend on."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from mshtgov.roles import Role
from partnerships.models import PartnerKind, PartnerOrganisation, PartnerProfile

TEST_PASSWORD = "correct horse battery staple"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@force.invalid")
    first_name = factory.LazyAttribute(lambda u: u.username.capitalize())
    last_name = "Tester"
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            group, _ = Group.objects.get_or_create(name=Role(extracted).label)
            self.groups.add(group)


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Partner organisation {n}")
    kind = PartnerKind.CHARITY


def make_partner_user(username: str, organisation: PartnerOrganisation):
    user = UserFactory(username=username, role=Role.EXTERNAL_PARTNER)
    PartnerProfile.objects.get_or_create(user=user, defaults={"organisation": organisation})
    return user


def make_role_users() -> dict:
    """One user per role, named as the demo users are, plus an admin."""
    users = {
        "leader": UserFactory(username="leader", role=Role.SENIOR_LEADER),
        "pcc": UserFactory(username="pcc", role=Role.PCC_LIAISON),
        "analyst": UserFactory(username="analyst", role=Role.ANALYST),
        "coordinator": UserFactory(username="coordinator", role=Role.PARTNERSHIP_COORDINATOR),
        "secretary": UserFactory(username="secretary", role=Role.BOARD_SECRETARY),
        "partner": make_partner_user("partner", PartnerOrganisationFactory(name="Safe Harbour Refuge")),
        "admin": UserFactory(username="admin", is_staff=True, is_superuser=True),
    }
    return users
