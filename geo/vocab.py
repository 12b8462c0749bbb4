"""Closed vocabularies of the registry as ``StrEnum`` s: one place for each set of values.

The values are the strings stored in the CSV files, in SQLite and in PostGIS, so an
enum member compares equal to the stored text and existing data stays unchanged.
Each enum's :meth:`parse` turns user input into a member, or raises
:class:`geo.errors.ValidationError` naming the field and the valid choices.
Parties are not a vocabulary: each theatre names its own (``theatre.json``, :mod:`geo.theatres.model`).

Examples
--------
>>> Qualifier.MORE_THAN == "more_than"
True
>>> Qualifier.parse(" About ")
<Qualifier.ABOUT: 'about'>
>>> Stance.parse("claims", field="stance")
Traceback (most recent call last):
...
geo.errors.ValidationError: field 'stance': 'claims' is not one of: asserts, acknowledges, denies
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from geo.errors import ValidationError


class Vocabulary(StrEnum):
    """Base of the vocabularies: members are their stored strings."""

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """The stored strings, in declaration order.

        >>> LineKind.values()
        ('agreed', 'contact', 'claimed', 'drawn')
        """
        return tuple(m.value for m in cls)

    @classmethod
    def parse(cls, value: Any, *, field: str | None = None, row: int | None = None):
        """The member whose value is ``value`` (case and surrounding space ignored).

        Raises
        ------
        ValidationError
            When ``value`` is not one of the values; the message lists them.
        """
        text = "" if value is None else str(value).strip().lower()
        for member in cls:
            if member.value == text:
                return member
        shown = ", ".join(repr(v) if v == "" else v for v in cls.values())
        raise ValidationError(f"{str(value)!r} is not one of: {shown}", field=field or cls.__name__, row=row)


class LineKind(Vocabulary):
    """What a reference line is: agreed by the parties, a dated line of contact, claimed or drawn."""

    AGREED = "agreed"
    CONTACT = "contact"
    CLAIMED = "claimed"
    DRAWN = "drawn"


class Stance(Vocabulary):
    """How the actor relates to what the claim says."""

    ASSERTS = "asserts"
    ACKNOWLEDGES = "acknowledges"
    DENIES = "denies"


class ClaimKind(Vocabulary):
    """What a claim's figure measures (``NONE``: the claim has no figure)."""

    AREA = "area"
    DISTANCE = "distance"
    WITHDRAWAL_DISTANCE = "withdrawal_distance"
    NONE = ""


class Qualifier(Vocabulary):
    """How a figure is qualified in the source sentence (``NONE``: not stated)."""

    MORE_THAN = "more_than"
    AT_LEAST = "at_least"
    ABOUT = "about"
    UP_TO = "up_to"
    LESS_THAN = "less_than"
    EXACTLY = "exactly"
    NONE = ""


class SourceKind(Vocabulary):
    """What kind of publication a source is."""

    NEWS = "news"
    OFFICIAL = "official"
    MONITOR = "monitor"
    SOCIAL = "social"


class Grade(Vocabulary):
    """Claimed vs measured: how a measured area compares with the claimed figure."""

    CONSISTENT = "consistent"
    LARGER = "larger"
    SMALLER = "smaller"


class Bound(Vocabulary):
    """Which end of a claimed interval an implied area stands for."""

    LOWER = "lower"
    UPPER = "upper"
    ESTIMATE = "estimate"


class Layer(Vocabulary):
    """The named layers the app shows and exports."""

    BOUNDARIES = "boundaries"
    OUTLINE = "outline"
    LINES = "lines"
    CONTESTED = "contested"
    CLAIMS = "claims"
    IMPLIED = "implied"
    ZONES = "zones"
    SETTLEMENTS = "settlements"
    USER_LINES = "user_lines"


class UserLineOrigin(Vocabulary):
    """Where an analyst's own line came from."""

    IMPORTED = "imported"
    DRAWN = "drawn"


__all__ = [
    "Bound",
    "ClaimKind",
    "Grade",
    "Layer",
    "LineKind",
    "Qualifier",
    "SourceKind",
    "Stance",
    "UserLineOrigin",
    "Vocabulary",
]
