"""factory_boy factories shared by the tests of every app."""

import factory
from django.contrib.auth.models import Group
from stdnum.cn import uscc as uscc_lib

from apps.accounts.models import Membership, Organisation, User
from apps.core.roles import Role

PASSWORD = "correct-horse-battery-staple"


def valid_uscc(n: int) -> str:
    body = f"91330000MA{n:07d}"
    return body + uscc_lib.calc_check_digit(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for role in extracted:
                self.groups.add(Group.objects.get(name=Role(role).value))
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    legal_name = factory.Sequence(lambda n: f"Test Rare Earth Co. {n}")
    native_name = factory.Sequence(lambda n: f"测试稀土{n}号有限公司")
    uscc = factory.Sequence(valid_uscc)
    address = "1 Test Road, Ganzhou"
    province = "Jiangxi"
    status = Organisation.Status.VERIFIED


def make_producer(organisation: Organisation, role: Role = Role.PRODUCER_ADMIN, **kwargs) -> User:
    user = UserFactory(roles=[role], **kwargs)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user
