"""Reads of intake: the platforms that take requests, the target time to first contact (in working
days), the coordinators' triage queue and the de-duplication hints of a request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pairs.core.text import sql_fold
from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.territory.models import Commune

from ..models import Person, RequestStatus, SupportRequest, SupportSettings, Topic

SIMILAR_PSEUDONYM = 0.4
HINTS_SHOWN = 20


def _likeness(pseudonym: Any) -> Func:
    """pg_trgm's similarity of a row's pseudonym and ``pseudonym`` (an expression), accents aside (0 to 1)."""
    return Func(sql_fold(F("pseudonym")), sql_fold(pseudonym), function="similarity", output_field=FloatField())


# ---- The platforms that take requests

DEPARTMENTS = {
    "01": "Ain", "02": "Aisne", "03": "Allier", "04": "Alpes-de-Haute-Provence", "05": "Hautes-Alpes",
    "06": "Alpes-Maritimes", "07": "Ardèche", "08": "Ardennes", "09": "Ariège", "10": "Aube", "11": "Aude",
    "12": "Aveyron", "13": "Bouches-du-Rhône", "14": "Calvados", "15": "Cantal", "16": "Charente",
    "17": "Charente-Maritime", "18": "Cher", "19": "Corrèze", "2A": "Corse-du-Sud", "2B": "Haute-Corse",
    "21": "Côte-d'Or", "22": "Côtes-d'Armor", "23": "Creuse", "24": "Dordogne", "25": "Doubs", "26": "Drôme",
    "27": "Eure", "28": "Eure-et-Loir", "29": "Finistère", "30": "Gard", "31": "Haute-Garonne", "32": "Gers",
    "33": "Gironde", "34": "Hérault", "35": "Ille-et-Vilaine", "36": "Indre", "37": "Indre-et-Loire",
    "38": "Isère", "39": "Jura", "40": "Landes", "41": "Loir-et-Cher", "42": "Loire", "43": "Haute-Loire",
    "44": "Loire-Atlantique", "45": "Loiret", "46": "Lot", "47": "Lot-et-Garonne", "48": "Lozère",
    "49": "Maine-et-Loire", "50": "Manche", "51": "Marne", "52": "Haute-Marne", "53": "Mayenne",
    "54": "Meurthe-et-Moselle", "55": "Meuse", "56": "Morbihan", "57": "Moselle", "58": "Nièvre", "59": "Nord",
    "60": "Oise", "61": "Orne", "62": "Pas-de-Calais", "63": "Puy-de-Dôme", "64": "Pyrénées-Atlantiques",
    "65": "Hautes-Pyrénées", "66": "Pyrénées-Orientales", "67": "Bas-Rhin", "68": "Haut-Rhin", "69": "Rhône",
    "70": "Haute-Saône", "71": "Saône-et-Loire", "72": "Sarthe", "73": "Savoie", "74": "Haute-Savoie",
    "75": "Paris", "76": "Seine-Maritime", "77": "Seine-et-Marne", "78": "Yvelines", "79": "Deux-Sèvres",
    "80": "Somme", "81": "Tarn", "82": "Tarn-et-Garonne", "83": "Var", "84": "Vaucluse", "85": "Vendée",
    "86": "Vienne", "87": "Haute-Vienne", "88": "Vosges", "89": "Yonne", "90": "Territoire de Belfort",
    "91": "Essonne", "92": "Hauts-de-Seine", "93": "Seine-Saint-Denis", "94": "Val-de-Marne", "95": "Val-d'Oise",
    "971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion", "976": "Mayotte",
}  # fmt: skip


def public_platforms() -> QuerySet[Platform]:
    return Platform.objects.filter(is_active=True).order_by("name")


def get_public_platform(slug: str) -> Platform:
    """An active platform by its short name, or 404."""
    return get_object_or_404(public_platforms(), slug=slug)


def department_names(codes: list[str]) -> list[str]:
    """ "Rhône (69)" for each code; the code alone when its name is unknown."""
    return [f"{DEPARTMENTS[code]} ({code})" if code in DEPARTMENTS else code for code in codes]


def platform_commune_names(platform: Platform) -> list[str]:
    """The names of the communes of the platform's departments, once each, for the form's suggestions."""
    names = Commune.objects.filter(department_code__in=platform.department_codes).values_list("name", flat=True)
    return sorted(set(names))


def first_contact_days(platform: Platform) -> int:
    """The platform's promised time to first contact, in working days."""
    value = SupportSettings.objects.filter(platform=platform).values_list("first_contact_days", flat=True).first()
    return int(value) if value is not None else int(SupportSettings._meta.get_field("first_contact_days").default)


def support_settings_of(platform: Platform) -> SupportSettings:
    """The platform's settings, unsaved defaults when none are recorded yet."""
    return SupportSettings.objects.filter(platform=platform).first() or SupportSettings(platform=platform)


# ---- Working days (Monday to Friday, French public holidays excluded)


def _easter(year: int) -> date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def public_holidays(year: int) -> frozenset[date]:
    easter = _easter(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    moving = [easter + timedelta(days=n) for n in (1, 39, 50)]  # Easter Monday, Ascension, Whit Monday
    return frozenset([date(year, month, day) for month, day in fixed] + moving)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (a request of Friday, 3 days: Wednesday)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def late_before(today: date, days: int) -> datetime:
    """A request not yet contacted is late when it was received before this moment: its deadline
    (``days`` working days after the day it arrived) is already past today."""
    last_late_day = today - timedelta(days=1)
    while add_working_days(last_late_day, days) >= today:
        last_late_day -= timedelta(days=1)
    return timezone.make_aware(datetime.combine(last_late_day + timedelta(days=1), time.min))


# ---- The triage queue


@dataclass(frozen=True)
class Tab:
    key: str
    label: Promise
    statuses: tuple[str, ...]


TABS = (
    Tab("todo", _("À traiter"), (RequestStatus.NEW, RequestStatus.CONTACTED)),
    Tab("new", _("Nouvelles"), (RequestStatus.NEW,)),
    Tab("contacted", _("Premier contact fait"), (RequestStatus.CONTACTED,)),
    Tab("redirected", _("Orientées ailleurs"), (RequestStatus.REDIRECTED,)),
    Tab("accepted", _("Acceptées"), (RequestStatus.ACCEPTED,)),
)
TABS_BY_KEY = {tab.key: tab for tab in TABS}
OPEN_TABS = {"todo", "new", "contacted"}


class PhoneKey(Func):
    """The ten digits of a French phone number however it was written (+33, spaces, dots)."""

    function = "regexp_replace"
    output_field = CharField()

    def __init__(self, expression: Any) -> None:
        digits = Func(expression, Value(r"[^0-9]"), Value(""), Value("g"), function="regexp_replace")
        super().__init__(digits, Value(r"^(?:0033|33)([1-9][0-9]{8})$"), Value(r"0\1"))


def _matches(pseudonym: Any, phone: Any, email: Any) -> Q:
    """Rows with the same phone (whatever its spelling), the same e-mail (whatever its case) or a
    similar pseudonym; rows must be annotated with ``likeness`` and ``phone_key``."""
    return (
        (~Q(phone="") & Q(phone_key=phone))
        | (~Q(email="") & Q(email__iexact=email))
        | Q(likeness__gt=SIMILAR_PSEUDONYM)
    )


def _count(queryset: QuerySet[Any]) -> Coalesce:
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def queue_rows(platform: Platform, *, tab: str, today: date, days: int) -> QuerySet[SupportRequest]:
    """The requests of one tab: late ones first, then the oldest (handled tabs: the newest first).
    Each row carries ``late`` and ``hint_count``, the number of possible duplicates."""
    statuses = TABS_BY_KEY[tab].statuses
    threshold = late_before(today, days)
    late = Case(
        When(status=RequestStatus.NEW, first_contact_at__isnull=True, created_at__lt=threshold, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    outer_pseudonym, outer_phone, outer_email = OuterRef("pseudonym"), OuterRef("phone_key"), OuterRef("email")
    other_requests = (
        SupportRequest.objects.filter(platform_id=OuterRef("platform_id"))
        .exclude(pk=OuterRef("pk"))
        .annotate(phone_key=PhoneKey("phone"), likeness=_likeness(outer_pseudonym))
        .filter(_matches(outer_pseudonym, outer_phone, outer_email))
    )
    people = (
        Person.objects.filter(platform_id=OuterRef("platform_id"))
        .annotate(phone_key=PhoneKey("phone"), likeness=_likeness(outer_pseudonym))
        .filter(_matches(outer_pseudonym, outer_phone, outer_email))
    )
    rows = (
        SupportRequest.objects.filter(platform=platform, status__in=statuses)
        .select_related("commune")
        .annotate(phone_key=PhoneKey("phone"), late=late)
        .annotate(hint_count=ExpressionWrapper(_count(other_requests) + _count(people), output_field=IntegerField()))
    )
    if tab in OPEN_TABS:
        return rows.order_by("-late", "created_at", "pk")
    return rows.order_by("-created_at", "-pk")


def queue_counts(platform: Platform) -> dict[str, int]:
    """The number of requests behind each tab."""
    by_status = dict(
        SupportRequest.objects.filter(platform=platform)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
        .order_by()
    )
    return {tab.key: sum(by_status.get(status, 0) for status in tab.statuses) for tab in TABS}


def late_count(platform: Platform, *, today: date, days: int) -> int:
    return SupportRequest.objects.filter(
        platform=platform,
        status=RequestStatus.NEW,
        first_contact_at__isnull=True,
        created_at__lt=late_before(today, days),
    ).count()


# ---- Target time to first contact, in words


@dataclass(frozen=True)
class Target:
    """Where a request stands against the promised time to first contact."""

    received_on: date
    age_days: int
    deadline: date
    contacted_on: date | None
    late: bool
    days_late: int  # calendar days past the deadline (today, or the day of the first contact)
    days_left: int  # calendar days until the deadline, while not contacted


def target_of(support_request: SupportRequest, *, today: date, days: int) -> Target:
    received_on = timezone.localtime(support_request.created_at).date()
    deadline = add_working_days(received_on, days)
    contacted_on = (
        timezone.localtime(support_request.first_contact_at).date() if support_request.first_contact_at else None
    )
    reference = contacted_on or today
    days_late = max(0, (reference - deadline).days)
    return Target(
        received_on=received_on,
        age_days=(today - received_on).days,
        deadline=deadline,
        contacted_on=contacted_on,
        late=days_late > 0,
        days_late=days_late,
        days_left=max(0, (deadline - today).days),
    )


@dataclass
class QueueRow:
    request: SupportRequest
    target: Target
    hint_count: int


def queue_page_rows(rows: Any, *, today: date, days: int) -> list[QueueRow]:
    """The rows of one page with their target, computed without a query."""
    return [
        QueueRow(request=row, target=target_of(row, today=today, days=days), hint_count=getattr(row, "hint_count", 0))
        for row in rows
    ]


# ---- One request and its possible duplicates


def topic_labels(support_request: SupportRequest) -> list[str]:
    return [str(Topic(topic).label) for topic in support_request.topics if topic in Topic.values]


def get_support_request_for(request: PlatformRequest, support_request_id: Any) -> SupportRequest:
    """A request of the active platform, or 404."""
    try:
        pk = int(support_request_id)
    except (TypeError, ValueError):
        pk = 0
    return get_object_or_404(
        SupportRequest.objects.filter(platform=request.platform).select_related(
            "commune", "person", "handled_by", "platform"
        ),
        pk=pk,
    )


@dataclass
class Hint:
    """A possible duplicate and why it looks like one."""

    obj: Any
    reasons: list[Promise] = field(default_factory=list)


def _hint_annotations(support_request: SupportRequest) -> dict[str, Any]:
    key = PhoneKey(Value(support_request.phone))
    return {
        "phone_key": PhoneKey("phone"),
        "likeness": _likeness(Value(support_request.pseudonym)),
        "same_phone": Case(
            When(~Q(phone="") & Q(phone_key=key), then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        "same_email": Case(
            When(~Q(email="") & Q(email__iexact=support_request.email), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    }


def _hints(queryset: QuerySet[Any], support_request: SupportRequest) -> list[Hint]:
    key = PhoneKey(Value(support_request.phone))
    rows = (
        queryset.annotate(**_hint_annotations(support_request))
        .filter(_matches(support_request.pseudonym, key, support_request.email))
        .order_by("-same_phone", "-same_email", "-likeness", "pk")[:HINTS_SHOWN]
    )
    hints = []
    for row in rows:
        hint = Hint(obj=row)
        if row.same_phone:
            hint.reasons.append(_("même téléphone"))
        if row.same_email:
            hint.reasons.append(_("même adresse e-mail"))
        if row.likeness > SIMILAR_PSEUDONYM:
            hint.reasons.append(_("prénom ou pseudonyme proche"))
        hints.append(hint)
    return hints


def duplicate_requests(support_request: SupportRequest) -> list[Hint]:
    """Other requests of the platform that may come from the same person."""
    others = SupportRequest.objects.filter(platform_id=support_request.platform_id).exclude(pk=support_request.pk)
    return _hints(others.select_related("commune"), support_request)


def duplicate_people(support_request: SupportRequest) -> list[Hint]:
    """Person records of the platform that may be the same person."""
    people = Person.objects.filter(platform_id=support_request.platform_id)
    return _hints(people.select_related("commune"), support_request)
