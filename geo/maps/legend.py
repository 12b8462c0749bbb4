"""The map legend: items (swatches) and their HTML."""

from __future__ import annotations

from dataclasses import dataclass

import folium

from geo.html import esc, esc_html_in_markdown


@dataclass(frozen=True)
class LegendItem:
    """One legend entry: the label and the exact style of what is drawn for it."""

    label: str
    colour: str
    kind: str  # "area" | "outline" | "line" | "dashed" | "point"
    dash: str = ""
    weight: float = 2.0
    opacity: float = 1.0
    fill_opacity: float = 0.0


def line_item(label_text: str, style: dict) -> LegendItem:
    """The legend entry of a line drawn with ``style`` (a folium path style).

    >>> line_item("A", {"color": "#000000", "weight": 3, "dashArray": "8 6"}).dash
    '8 6'
    """
    dash = style.get("dashArray", "")
    return LegendItem(
        label_text,
        style["color"],
        "dashed" if dash else "line",
        dash=dash,
        weight=float(style.get("weight", 3)),
        opacity=float(style.get("opacity", 1.0)),
    )


def area_item(label_text: str, style: dict, kind: str = "area") -> LegendItem:
    """The legend entry of an area drawn with ``style``; ``kind`` is ``"area"`` or ``"outline"``.

    >>> area_item("zone", {"color": "#3B0F70"}, "outline").kind
    'outline'
    """
    return LegendItem(
        label_text,
        style["color"],
        kind,
        dash=style.get("dashArray", ""),
        weight=float(style.get("weight", 1)),
        opacity=float(style.get("opacity", 1.0)),
        fill_opacity=float(style.get("fillOpacity", 0.0)),
    )


class Legend:
    """Legend items of what a map draws, recorded while it is drawn (one per style)."""

    def __init__(self) -> None:
        self.items: list[LegendItem] = []

    def add(self, element, item: LegendItem):
        """Mark ``element`` as drawn under ``item`` (added once) and return ``element``."""
        if item not in self.items:
            self.items.append(item)
        element.legend_item = item
        return element


def drawn_legend(m: folium.Map) -> list[LegendItem]:
    """The legend of a map from :func:`build_map`: one item per style actually drawn."""
    return list(getattr(m, "legend", []))


def _swatch(item: LegendItem) -> str:
    """An inline SVG drawn with the item's real colour, dash, weight and opacity."""
    c = esc(item.colour)
    dash = f' stroke-dasharray="{esc(item.dash)}"' if item.dash else ""
    if item.kind in ("area", "outline"):
        fill = f'fill="{c}" fill-opacity="{item.fill_opacity:g}"' if item.kind == "area" else 'fill="none"'
        w = max(item.weight, 1.0)
        shape = (
            f'<rect x="{w / 2:g}" y="{w / 2:g}" width="{26 - w:g}" height="{14 - w:g}" {fill} '
            f'stroke="{c}" stroke-width="{w:g}" stroke-opacity="{item.opacity:g}"{dash}/>'
        )
    elif item.kind == "point":
        shape = f'<circle cx="13" cy="7" r="4" fill="{c}" fill-opacity="{item.fill_opacity:g}" stroke="{c}"/>'
    else:
        shape = (
            f'<line x1="0" y1="7" x2="26" y2="7" stroke="{c}" stroke-width="{item.weight:g}" '
            f'stroke-opacity="{item.opacity:g}"{dash}/>'
        )
    return f'<svg aria-hidden="true" width="26" height="14" style="vertical-align:middle">{shape}</svg>'


def legend_html(items: list[LegendItem]) -> str:
    """The legend as escaped HTML: a swatch in the item's real style and a text label per entry."""
    return "".join(
        f'<div class="cl-legend-item" data-kind="{esc(item.kind)}">{_swatch(item)} {esc_html_in_markdown(item.label)}</div>'
        for item in items
    )
