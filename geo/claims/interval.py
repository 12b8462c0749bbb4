"""The value interval, dimension and period of a claim: the checks across those fields.

A claim states a figure (``value`` in ``unit`` as written) and, since issue 18, the
interval it spans (``value_min``/``value_max``, the same unit; equal when the figure
is not a range), what a length measures (``dimension``) and the period of the
change it reports (``period_start``/``period_end``). :func:`geo.claims.model.validate_claim`
reads each field; the rules that tie them together live here.
"""

from __future__ import annotations

from geo import schema as S
from geo.errors import ValidationError


def interval(
    value: float | None, value_min: float | None, value_max: float | None, row: int | None = None
) -> tuple[float | None, float | None]:
    """The interval of a figure: given bounds, else the figure itself; ``value_min <= value_max``.

    Parameters
    ----------
    value : float or None
        The figure as written (its lower bound for a range).
    value_min, value_max : float or None
        The bounds given, each already a finite number >= 0 or ``None``.
    row : int, optional
        Row number for the error message.

    Returns
    -------
    tuple
        ``(value_min, value_max)``; ``(None, None)`` for a claim without a figure.

    Raises
    ------
    ValidationError
        When ``value_max`` is below ``value_min``.

    Examples
    --------
    >>> interval(500.0, None, None)
    (500.0, 500.0)
    >>> interval(300.0, None, 400.0)
    (300.0, 400.0)
    >>> interval(None, None, None)
    (None, None)
    """
    lo = value_min if value_min is not None else (value if value is not None else value_max)
    hi = value_max if value_max is not None else lo
    if lo is not None and hi is not None and hi < lo:
        raise ValidationError(f"{hi:g} is below value_min {lo:g}", field=S.CLAIM_VALUE_MAX, row=row)
    return lo, hi


def check_dimension_and_period(
    kind: str, dimension: str, period_start: str, period_end: str, row: int | None = None
) -> None:
    """Refuse a dimension on an area and a period that ends before it starts.

    ``dimension`` is already one of :data:`geo.schema.CLAIM_DIMENSIONS`; the
    period bounds are ISO dates or ``""``.

    Examples
    --------
    >>> check_dimension_and_period("distance", "depth", "2024-01-01", "2024-03-31")
    >>> check_dimension_and_period("area", "depth", "", "")
    Traceback (most recent call last):
    ...
    geo.errors.ValidationError: field 'dimension': an area has no dimension (got 'depth')
    """
    if dimension and kind == "area":
        raise ValidationError(f"an area has no dimension (got {dimension!r})", field=S.CLAIM_DIMENSION, row=row)
    if period_start and period_end and period_end < period_start:
        raise ValidationError(f"{period_end} is before period_start {period_start}", field=S.CLAIM_PERIOD_END, row=row)


__all__ = ["check_dimension_and_period", "interval"]
