"""Demo data for accounts: one user per role and a handful of producers. Safe to run twice."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.cn import uscc as uscc_lib

from apps.accounts.models import Membership, Organisation, User
from apps.core.roles import Role

DEMO_PASSWORD = "RareTrack-demo-2026"  # noqa: S105 - documented demo login, refused in production
# Officials must use MFA: the demo officials share this authenticator secret (README, "Demo logins";
# `manage.py demo_totp EMAIL` prints the current code).
# Base32 for an authenticator app: KJQXEZKUOJQWG2ZNMRSW23ZNORXXI4BN
DEMO_TOTP_KEY = "52617265547261636b2d64656d6f2d746f74702d"  # hex of b"RareTrack-demo-totp-"

OFFICIALS = [
    ("admin@raretrack.demo", "Wang Lei", [Role.ADMINISTRATOR]),
    ("reviewer@raretrack.demo", "Li Na", [Role.REVIEWER]),
    ("reviewer2@raretrack.demo", "Zhao Min", [Role.REVIEWER]),
    ("approver@raretrack.demo", "Chen Jie", [Role.APPROVER]),
    ("auditor@raretrack.demo", "Sun Yue", [Role.AUDITOR]),
]

# (base of the credit code, legal name, native name, province, address, status, users)
PRODUCERS = [
    (
        "91360700MA35GX01",
        "Ganzhou Rare Earth Magnetics Co., Ltd.",
        "赣州稀土磁材有限公司",
        "Jiangxi",
        "8 Jinling Road, Zhanggong District, Ganzhou",
        "verified",
        [
            ("producer@ganzhou-magnetics.demo", "Liu Yang", Role.PRODUCER_ADMIN),
            ("staff@ganzhou-magnetics.demo", "Huang Wei", Role.PRODUCER_STAFF),
        ],
    ),
    (
        "91330212MA2GNB02",
        "Ningbo Yongjiang Magnet Technology Co., Ltd.",
        "宁波甬江磁业科技有限公司",
        "Zhejiang",
        "66 Xingning Road, Yinzhou District, Ningbo",
        "verified",
        [("producer@ningbo-magnet.demo", "Zhou Hong", Role.PRODUCER_ADMIN)],
    ),
    (
        "91150200MA0NBT03",
        "Baotou Northern Separation Materials Co., Ltd.",
        "包头北方分离材料有限公司",
        "Inner Mongolia",
        "12 Huanghe Road, Kundulun District, Baotou",
        "verified",
        [("producer@baotou-separation.demo", "Gao Feng", Role.PRODUCER_ADMIN)],
    ),
    (
        "91110108MA01BJ04",
        "Beijing Zhongke Target Materials Co., Ltd.",
        "北京中科靶材有限公司",
        "Beijing",
        "3 Zhongguancun South Street, Haidian District, Beijing",
        "pending",
        [("producer@beijing-targets.demo", "Ma Lin", Role.PRODUCER_ADMIN)],
    ),
    (
        "91370600MA3YYT05",
        "Yantai Coastal Rare Metals Co., Ltd.",
        "烟台滨海稀有金属有限公司",
        "Shandong",
        "21 Binhai Road, Laishan District, Yantai",
        "pending",
        [("producer@yantai-metals.demo", "Xu Tao", Role.PRODUCER_ADMIN)],
    ),
]


def demo_uscc(base: str) -> str:
    body = base[:17].ljust(17, "0")
    return body + uscc_lib.calc_check_digit(body)


def _user(email: str, full_name: str, roles: list[Role], *, staff: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name, is_staff=staff)
    for role in roles:
        user.groups.add(Group.objects.get(name=role.value))
    return user


@transaction.atomic
def seed() -> dict[str, int]:
    for email, name, roles in OFFICIALS:
        official = _user(email, name, roles, staff=Role.ADMINISTRATOR in roles)
        TOTPDevice.objects.get_or_create(
            user=official,
            defaults={"name": "Demo authenticator", "key": DEMO_TOTP_KEY, "confirmed": True},
        )
    for base, legal, native, province, address, status, users in PRODUCERS:
        org, _ = Organisation.objects.get_or_create(
            uscc=demo_uscc(base),
            defaults={
                "legal_name": legal,
                "native_name": native,
                "province": province,
                "address": address,
                "status": status,
                "verified_at": timezone.now() if status == "verified" else None,
            },
        )
        for email, name, role in users:
            user = _user(email, name, [role])
            Membership.objects.get_or_create(
                user=user, defaults={"organisation": org, "role": role}
            )
    return {"users": User.objects.count(), "organisations": Organisation.objects.count()}
