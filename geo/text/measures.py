"""How a figure is measured: past its bracketed conversion, as ground or not, as an advance's breadth.

What is not ground ("40 km of trenches"), the breadth of a front, the depth or width of an advance
and a country's own area.

Small rules shared by :mod:`geo.text.figures`; each reads only the words right around a figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from geo import config
from geo.text.quantities import Quantity

__all__ = [
    "FROM_A_PLACE",
    "NOT_PLACES",
    "PLACE_AFTER",
    "read_word_list",
    "COUNTRY_AREA_BEFORE",
    "DEMINED_BEFORE",
    "OR_GAP",
    "behind_line",
    "separation_kept",
    "DEPTH_IS_BEFORE",
    "EVACUATION",
    "FORCED_BEFORE",
    "FORCES",
    "FROM_SOURCE_BEFORE",
    "INSTITUTION",
    "SEEN_BEFORE",
    "STRIKE_BEFORE",
    "THING_BEFORE",
    "NOT_GROUND_AFTER",
    "WIDE_FRONT_AFTER",
    "CueRule",
    "after_brackets",
    "depth_is",
    "forced_back",
    "last_cue_wins",
    "observed_at",
    "thing_at",
    "forces_inside",
    "front_breadth",
    "locates_or_reaches",
    "measured_advance",
    "place_before_figure",
    "places_covered",
    "struck_at",
    "ZONE_AFTER",
    "ZONE_OR_PULLBACK",
    "zone_extent",
    "zone_length",
    "PRESSURE_AFTER",
    "DEPTH_IS_BEFORE_UKRU",
    "depth_is_ukru",
    "moved_forward",
    "stationed_at",
    "ground_taken",
    "travelled",
    "travelled_into",
    "advanced_inside",
]


def after_brackets(sentence: str, q: Quantity) -> str:
    """The text after the figure, past a bracketed conversion ("30 km (20 miles) from ...").

    >>> from geo.text.quantities import find_quantities
    >>> s = "troops 30 km (20 miles) from the border"
    >>> after_brackets(s, find_quantities(s)[0])
    ' from the border'
    """
    return re.sub(r"^\s*[(\[][^()\[\]]{1,25}[)\]]", "", sentence[q.end : q.end + 70])


@dataclass(frozen=True)
class CueRule:
    r"""A rule on the words right around a figure, given by its patterns (one table row, not a function).

    ``before`` is searched in the ``span`` characters before the figure, ``after`` is matched right
    after it, past a bracketed conversion (:func:`after_brackets`); with ``both`` every given pattern
    must hit, otherwise one is enough. ``not_after`` (matched after the figure) and ``not_before``
    (searched in the ``not_span`` characters before it) veto the rule.

    >>> from geo.text.quantities import find_quantities
    >>> rule = CueRule(before=re.compile(r"pulled back\s+$"), after=re.compile(r"\s*from"))
    >>> s = "Rebels pulled back 15 km from the line."
    >>> rule(s, find_quantities(s)[0])
    True
    """

    before: re.Pattern[str] | None = None
    after: re.Pattern[str] | None = None
    span: int = 50
    both: bool = True
    not_after: re.Pattern[str] | None = None
    not_before: re.Pattern[str] | None = None
    not_span: int = 80

    def __call__(self, sentence: str, q: Quantity) -> bool:
        """Whether the rule holds for figure ``q`` of ``sentence``."""
        if self.not_before is not None and self.not_before.search(sentence[max(0, q.start - self.not_span) : q.start]):
            return False
        hits = []
        if self.before is not None:
            hits.append(bool(self.before.search(sentence[max(0, q.start - self.span) : q.start])))
        if self.after is not None or self.not_after is not None:
            tail = after_brackets(sentence, q)
            if self.not_after is not None and self.not_after.match(tail):
                return False
            if self.after is not None:
                hits.append(bool(self.after.match(tail)))
        return all(hits) if self.both else any(hits)


# a figure that measures something other than ground: "40 km of trenches", "a 1,000-km front"
NOT_GROUND_AFTER = re.compile(
    r"\s*(?:[(\[][^()\[\]]{1,25}[)\]]\s*)?(?:-?long\s+|-?wide\s+)?"
    r"(?:of\s+(?:new\s+|the\s+)?(?:trench\w*|roads?|railways?|rail|fortification\w*|defen[cs]ive\s+lines?|"
    r"fences?|walls?|pipelines?|power\s+lines?|coastline|border|frontier|front(?:\s*line)?)|"
    # "12 kilometers of the Kyrgyz-Tajik border", "of the state border line": its length, not ground
    r"of\s+the\s+(?:[\w-]+\s+){1,2}(?:border|frontier)(?!\s+(?:area|region|zone|strip|district|villages?))\b|"
    r"(?:stretch|section|segment)\s+of\s+(?:the\s+)?(?:[\w-]+\s+)?(?:highway|road|motorway|railway|rail\s+line|route)|"
    r"front(?:\s*line)?\b|(?:-|\s)?range\b|(?:-|\s)?length\s+of\b|рубеж\w*|"
    r"(?:-|\s)?(?:city|town|village|island|enclave|exclave|lake)\b|"
    # "36,000 square kilometers that make up Nineveh": the whole of a region
    r"(?:that|which)\s+(?:make\s+up|comprise|constitute|form)\b|"
    # "the 3,488-km-long Line of Actual Control": the length of a line or border
    r"(?<=long\s)(?:[\w-]+\s+){0,2}(?:line|border|frontier|boundary)\b)",
    re.IGNORECASE,
)

# before the figure: the front an advance was made on, given by its breadth ("the frontline is 8.5 km wide")
_FRONT_IS_BEFORE = re.compile(
    r"\b(?:front(?:\s*line)?|frontline|breach|breakthrough|salient|bulge|wedge)\s+(?:is|was|has\s+been|had\s+been)\s+"
    r"(?:about\s+|some\s+|around\s+|roughly\s+|nearly\s+|almost\s+|up\s+to\s+|more\s+than\s+|over\s+)?$",
    re.IGNORECASE,
)
_WIDE_AFTER = re.compile(r"\s*(?:-|\s)?(?:wide|across|in\s+width)\b", re.IGNORECASE)


#: the breadth of the front or breach of an advance ("The frontline is 8.5 kilometres wide")
front_breadth = CueRule(before=_FRONT_IS_BEFORE, after=_WIDE_AFTER)


# right after the figure: it measures the advance itself ("15 km deep", "30 km wide", "на глибину")
_MEASURE_AFTER = re.compile(r"\s*(?:-|\s)?(?:deep|in\s+depth|wide|in\s+width|завглибшки|завширшки)\b", re.IGNORECASE)
# an advance named by a verb or noun (not by "deep" or "wide" alone, which also measure rivers)
_ADVANCE_WORD = re.compile(
    r"\b(?:advanc\w*|push\w*|penetrat\w*|breakthrough|broke\s+through|breach\w*|incursion|offensive|"
    r"salient|wedge|bridgehead|просун\w*|продвину\w*|вклини\w*|прорыв\w*|прорив\w*|плацдарм\w*)",
    re.IGNORECASE,
)


#: in a sentence about an advance, a length given as its depth or breadth ("15 km deep and 30 km wide")
measured_advance = CueRule(before=_ADVANCE_WORD, span=80, after=_MEASURE_AFTER, not_after=NOT_GROUND_AFTER)


# after the figure: the breadth of the front an advance was made on ("advanced 12 km along a 40 km wide front")
WIDE_FRONT_AFTER = re.compile(
    r"\s*(?:[(\[][^()\[\]]{1,25}[)\]]\s*)?-?\s*wide\s+(?:section\s+of\s+(?:the\s+)?)?front(?:\s*line)?\b", re.IGNORECASE
)
# before the figure: a country's own area, however it changed ("the country's total area has increased from")
COUNTRY_AREA_BEFORE = re.compile(
    r"\b(?:country|nation|state)['’]s\s+(?:total\s+|overall\s+|whole\s+)?(?:area|landmass|surface)\b"
    r"(?:\s+(?:[\w-]+\s+){0,4}(?:from|to|at|of|by))?\s*(?:about\s+|some\s+|roughly\s+|around\s+)?$",
    re.IGNORECASE,
)


# a pull-back to a line given by its distance from the border: "Hezbollah would retreat from the areas south
# of the Litani river, which runs some 30 km north of the border"
_BEHIND_LINE_BEFORE = re.compile(
    r"\b(?:retreat\w*|withdr[ae]w\w*|pull\w*\s+(?:[\w'’-]+\s+){0,2}back|f[ae]ll\w*\s+back|mov\w*\s+back|redeploy\w*)\b"
    r"[^.;]{0,80}?\b(?:north|south|east|west)\s+of\s+the\s+(?-i:[A-Z][\w'’-]+)\s+(?:river|line)\b[^.;]{0,40}$",
    re.IGNORECASE,
)
_FROM_BORDER_AFTER = re.compile(
    r"\s*(?:(?:to\s+the\s+)?(?:north|south|east|west)\w*\s+of|(?:away\s+)?from)\s+the\s+(?:[\w-]+\s+){0,2}"
    r"(?:border|frontier|boundary)\b",
    re.IGNORECASE,
)
behind_line = CueRule(before=_BEHIND_LINE_BEFORE, span=160, after=_FROM_BORDER_AFTER)
# a minimum gap kept between the two sides: "расстояние между ними будет не менее 2 км", "the distance between the
# forces must be at least 2 km" (the width of the buffer, not the distance between two places)
_SEPARATION_BEFORE = re.compile(
    r"\b(?:расстояни\w*|відстан\w*|дистанци\w*|distance|gap|separation)\s+(?:между|між|between)\s+"
    r"(?:ними|сторонами|войсками|військами|позициями|позиціями|them|the\s+(?:two\s+)?(?:sides|forces|armies|troops|positions))\b"
    r"[^.;]{0,40}?(?:не\s+менее|не\s+меньше|по\s+меньшей\s+мере|не\s+менше(?:\s+ніж)?|щонайменше|принаймні|как\s+минимум|at\s+least|no\s+less\s+than|a\s+minimum\s+of)\s*$",
    re.IGNORECASE,
)
separation_kept = CueRule(before=_SEPARATION_BEFORE, span=120)
# between two figures: "10 kilometers or 6 miles", the same length spelled again in another unit
OR_GAP = re.compile(r"\s*,?\s*(?:or|або|или)\s+", re.IGNORECASE)
# before an area: a survey for mines or unexploded ordnance ("обследовано 30 гектаров территории", "sappers
# surveyed 12 hectares"), not ground that changed hands
DEMINED_BEFORE = re.compile(
    r"\b(?:обследова\w*|обстеж\w*|розмінува\w*|розміновано|разминирова\w*|demin\w*|surveyed|"
    r"cleared\s+(?:of\s+)?(?:mines|explosives|ordnance))\b",
    re.IGNORECASE,
)


# --- lengths in a pull-back or zone story that are not pull-backs ------------------------------
# the length of a zone or line along itself: "180 km long", "a 1,200 km stretch", "the 121-km Blue Line"
_ALONG_ITSELF_AFTER = re.compile(
    r"\s*(?:-|\s)?(?:long|in\s+length|stretch|section|segment)\b|\s*(?:завдовжки|протяжн\w*|протяжен\w*)"
    r"|\s*-?\s*(?-i:(?:[A-Z][\w-]+\s+)?(?:Line|line|border|frontier|boundary))\b",
    re.IGNORECASE,
)
_ALONG_ITSELF_BEFORE = re.compile(
    r"(?:протяжн\w*|протяжен\w*|довжин\w*|длин\w*|завдовжки)\s+(?:[\w-]+\s+){0,2}$|\blength\s+of\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
# the reach of a weapon or a sensor: "a range of 40 km", "дальністю до 40 км"
_REACH_BEFORE = re.compile(
    r"\b(?:range|reach|radius)\s+of\s+(?:up\s+to\s+|about\s+|some\s+|around\s+|over\s+|more\s+than\s+)?$|"
    r"(?:дальн\w*|радіус\w*|радиус\w*)\s+(?:дії\s+|действия\s+)?(?:до\s+|у\s+|в\s+)?$",
    re.IGNORECASE,
)
# the places a measure applies to: "villages up to 10 km from the border"
_PLACES_UP_TO_BEFORE = re.compile(
    r"\b(?:villages?|settlements?|towns?|communities|homes|residents|населен\w*\s+пункт\w*)\s+(?:located\s+)?"
    r"(?:up\s+to|as\s+far\s+as|less\s+than|no\s+more\s+than)\s+$",
    re.IGNORECASE,
)
# after the figure: from a named place, in Ukrainian or Russian ("в 60 км от Луганска")
_FROM_PLACE_AFTER_UKRU = re.compile(
    r"\s*(?:[(\[][^()\[\]]{1,25}[)\]]\s*)?(?:від|от)\s+(?:(?!Мінськ|Минск|Україн|Украин|Росі|Росси)[А-ЯІЇЄҐ][\w'’-]+|"
    # a relative pronoun: "у села, в 5 км от которого проходит линия" places the village
    r"(?:якого|якої|яких|которого|которой|которых)\b)"
)


#: a length a zone or line has along itself ("180 km long", "протяжністю 100 км", "the 121-km Blue Line")
zone_length = CueRule(before=_ALONG_ITSELF_BEFORE, span=40, after=_ALONG_ITSELF_AFTER, both=False)


#: a length that is a reach ("a range of 40 km") or a distance from a named place ("в 60 км от Луганска")
locates_or_reaches = CueRule(before=_REACH_BEFORE, after=_FROM_PLACE_AFTER_UKRU, both=False)


#: the places a measure covers, not a pull-back: "villages up to 10 km from the border"
places_covered = CueRule(before=_PLACES_UP_TO_BEFORE)


# --- how far forces are inside the other side -----------------------------------------------
# "broke through to a depth of 8 km", "на глибину 12 км": the depth named right before the figure
_DEPTH_OF_BEFORE = re.compile(
    r"\b(?:(?:to\s+)?a\s+depth\s+of|deep\s+as)\s+(?:about\s+|some\s+|up\s+to\s+|nearly\s+|almost\s+|over\s+)?$|"
    r"(?:(?:на\s+)?(?:глибину|глубину)|глибиною|глубиной|завглибшки)\s+(?:до\s+|понад\s+|более\s+|свыше\s+|майже\s+|почти\s+)?$",
    re.IGNORECASE,
)
# "30 km inside Russia", "15 km into Russian territory", "5 km inside Lebanon"
_INSIDE_AFTER = re.compile(
    r"\s*(?:[(\[][^()\[\]]{1,25}[)\]]\s*)?(?:beyond\s+the\s+(?:[\w-]+\s+){0,2}(?:zone|line|border|frontier)\s+)?"
    r"(?:deep\s+)?(?:inside|into|within)\s+(?:the\s+)?"
    r"(?:(?:(?:southern|northern|eastern|western|north-?(?:east|west)ern|south-?(?:east|west)ern)\s+)?"
    r"(?-i:[A-Z][\w'’-]+)(?:\s+(?:territory|soil|lines?|region|oblast|province))?|"
    # "moving 3.5 km into the country", "10 km into enemy territory": the other side not named
    r"country|enemy(?:['’]s)?\s+(?:territory|lines|rear|defen[cs]es)|hostile\s+territory)\b",
    re.IGNORECASE,
)
_FORCES = re.compile(
    r"\b(?:troops|forces|soldiers|army|units|brigades?|IDF|PLA|military|tanks|fighters|militants|"
    r"війська|військові|ЗСУ|армія|войска|военные|ВСУ|армия|enemy|occupiers|invaders|ворог\w*|противник\w*|"
    r"враг\w*|окупант\w*|оккупант\w*|штурмовик\w*|десантник\w*|бійц\w*|бойц\w*|marines|paratroopers)\b",
    re.IGNORECASE,
)
#: forces named in a sentence ("troops", "ЗСУ", "окупанти"): who moves, not refugees or a drone
FORCES = _FORCES
# a place right before the figure: the place is inside, not the forces ("a town 10 km inside Russia")
_PLACE_NOUN_BEFORE = re.compile(
    r"\b(?:town|village|city|settlement|target|depot|airfield|plant|refinery|bridge|site|drone|missile|jet|plane|"
    r"helicopter|aircraft|strike|attack)s?\b[^,;]{0,20}$",
    re.IGNORECASE,
)


def forces_inside(sentence: str, q: Quantity) -> bool:
    """Forces that are or went N km inside the other side ("troops are now 30 km inside Russia").

    >>> from geo.text.quantities import find_quantities
    >>> s = "Ukrainian troops are now 30 km inside Russia."
    >>> forces_inside(s, find_quantities(s)[0])
    True
    >>> s = "A drone hit a refinery 30 km inside Russia."
    >>> forces_inside(s, find_quantities(s)[0])
    False
    """
    before = sentence[max(0, q.start - 50) : q.start]
    if _DEPTH_OF_BEFORE.search(before):
        return bool(_FORCES.search(sentence)) or bool(re.search(r"\b(?:broke|break)\s+through\b", sentence, re.I))
    return (
        bool(_INSIDE_AFTER.match(after_brackets(sentence, q)))
        and bool(_FORCES.search(sentence[: q.start]))
        and not _PLACE_NOUN_BEFORE.search(before)
        and not EVACUATION.search(before)  # "called on residents to evacuate 30 miles into the country"
    )


# --- a place, then its distance from the border: where the place is, not how far forces went ---
_HEDGE = r"(?:(?:about|some|around|roughly|approximately|nearly|almost|only|just|barely)\s+)?"
_WHERE = r"(?:(?:which\s+(?:is|lies)|that\s+(?:is|lies)|located|lying|situated)\s+)?"
_NAMED_PLACE_BEFORE = re.compile(
    r"(?P<name>(?-i:[A-ZА-ЯІЇЄҐ][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})),\s+" + _WHERE + _HEDGE + r"$", re.IGNORECASE
)
_TOWN_BEFORE = re.compile(
    r"\b(?:(?:a|the)\s+(?:[\w-]+\s+)?(?:town|village|city|settlement|hamlet)s?|hilltops?|outposts?|"
    r"(?-i:[A-Z][\w'’-]+)\s+(?:city|town|village))"
    r"(?:\s+of\s+(?-i:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?))?,?\s+" + _WHERE + _HEDGE + r"$",
    re.IGNORECASE,
)
# a river or a line named before its distance is the line forces go behind ("the Litani River, located 30 km")
_LINE_NAMES = ("River", "Line", "Canal", "Lake", "Sea", "Strait")


def place_before_figure(sentence: str, q: Quantity) -> bool:
    """A place named right before its distance ("withdrew from Khiam, a town 6 km from the border").

    >>> from geo.text.quantities import find_quantities
    >>> s = "Israeli troops withdrew from Khiam, a town 6 km from the border."
    >>> place_before_figure(s, find_quantities(s)[0])
    True
    >>> s = "Hezbollah must leave areas south of the Litani River, located about 30 km from the border."
    >>> place_before_figure(s, find_quantities(s)[0])
    False
    """
    if _MEASURE_AFTER.match(after_brackets(sentence, q)):
        return False  # "the breakthrough near Dobropillia, some 10 km deep": the figure measures, it does not place
    before = sentence[max(0, q.start - 70) : q.start]
    if _TOWN_BEFORE.search(before):
        return True
    m = _NAMED_PLACE_BEFORE.search(before)
    return bool(m) and m.group("name").split()[-1] not in _LINE_NAMES


# --- who moved the figure: a forced retreat, a depth named as a noun, an observed position ---
# a retreat forced by the other side ("forced the enemy to retreat 2 km", "after counterattacks ... відступили
# на 2 км") is the depth of that side's advance, not a pull-back (as "pushed Ukraine 8 km back")
FORCED_BEFORE = re.compile(
    r"\b(?:forced|forcing|compell\w*|counter-?attack\w*|(?:could|can)\s*not\s+withstand|unable\s+to\s+withstand|заставил\w*|заставив\w*|вынудил\w*|вынуди\w*|"
    r"змусил\w*|змуси\w*|примусил\w*|примуси\w*|контратак\w*|контрудар\w*|контрнаступ\w*|counter-?offensive)",
    re.IGNORECASE,
)
# after the figure: the retreat was made under the other side's pressure ("retreated 2 km under Russian
# pressure", "відступили на 3 км під тиском ворога", "отошли на 2 км под натиском")
PRESSURE_AFTER = re.compile(
    r"\s*(?:under|під|под)\s+(?:[\w'’-]+\s+){0,2}(?:pressure|fire|assault|attack|blows|тиском|натиском|напором|давлением|"
    r"ударами|атаками|обстрілами|обстрелами)\b|"
    # "withdrew 2 km after Ukrainian counterattacks", "отошел на 3 км после контрудара"
    r"\s*(?:after|following|після|после|as\s+(?:the|a)\s+result\s+of)\s+(?:[\w'’-]+\s+){0,2}(?:counter-?attacks?|counter-?offensive|контратак\w*|"
    r"контрудар\w*|контрнаступ\w*)",
    re.IGNORECASE,
)
forced_back = CueRule(before=FORCED_BEFORE, span=160, after=PRESSURE_AFTER, both=False)
# "the depth of the Russian breakthrough is about 8 km": the depth of an advance, named as a noun
DEPTH_IS_BEFORE = re.compile(
    r"\bdepth\s+of\s+(?:the\s+|their\s+|its\s+)?(?:[\w'’-]+\s+){0,2}"
    r"(?:advance|breakthrough|penetration|push|incursion|offensive|wedge)\s+"
    r"(?:is|was|has\s+reached|reached|stands\s+at|amounts\s+to)\s+"
    r"(?:about\s+|some\s+|around\s+|roughly\s+|nearly\s+|almost\s+|up\s+to\s+|more\s+than\s+|over\s+)?$",
    re.IGNORECASE,
)
# the same in Ukrainian and Russian, an advance named as a noun: "Вклинение составило 4 км", "Ширина прорыва
# составила около 10 км"; not the depth of a zone ("Глибина буферної зони становить 8 км": a buffer's extent)
DEPTH_IS_BEFORE_UKRU = re.compile(
    r"(?:\b(?:глибин\w*|глубин\w*|ширин\w*)\s+(?:[\w'’-]+\s+){0,2}?)?"
    r"\b(?:вклинен\w*|прорыв\w*|прорив\w*|продвижени\w*|просуванн\w*|наступ\w*|плацдарм\w*|выступ\w*|виступ\w*)"
    r"\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?:становить|становило|становила|склада\w*|склал\w*|сяга\w*|сягну\w*|досяга\w*|досягл\w*|досягну\w*|составля\w*|составил\w*|достига\w*|достигл\w*)\s+"
    r"(?:(?:от|від|до|около|порядка|близько|приблизно|примерно|понад|более|свыше|майже|почти)\s+)?$",
    re.IGNORECASE,
)
depth_is = CueRule(before=DEPTH_IS_BEFORE, span=90)
depth_is_ukru = CueRule(before=DEPTH_IS_BEFORE_UKRU, span=140)
# "moved 7 km forward", "went 3 km ahead": a movement forward given by its length
_MOVED_BEFORE = re.compile(
    r"\b(?:mov(?:e|es|ed|ing)|push(?:es|ed|ing)?|went|gone|go(?:es)?|got|came|come)\s+(?:[\w'’-]+\s+){0,2}"
    r"(?:(?:some|about|around|nearly|almost|roughly|up\s+to|another|a\s+further)\s+)?$",
    re.IGNORECASE,
)
# ground taken given as a length, the verb right before it ("seized 2 km of territory", "звільнили 5 км")
_TAKEN_BEFORE = re.compile(
    r"\b(?:seiz(?:e|es|ed|ing)|captur(?:e|es|ed|ing)|took|taken|gain(?:s|ed|ing)?|liberat(?:e|es|ed|ing)|retook|acquir(?:e|es|ed|ing)|"
    r"recaptur(?:e|es|ed|ing)|звільни\w*|захопи\w*|освободи\w*|захвати\w*)\s+"
    r"(?:(?:some|about|around|nearly|almost|over|more\s+than|up\s+to|another|a\s+further|майже|близько|понад|"
    r"около|более|почти|свыше)\s+)?$",
    re.IGNORECASE,
)
_OF_GROUND_AFTER = re.compile(r"\s*(?:of\s+(?:[\w-]+\s+)?(?:territory|ground|land)\b|(?:території|территории)\b)", re.I)
ground_taken = CueRule(before=_TAKEN_BEFORE, span=40, after=_OF_GROUND_AFTER)
moved_forward = CueRule(before=_MOVED_BEFORE, span=50, after=re.compile(r"\s*(?:forward|ahead)\b", re.IGNORECASE))
# right before the figure: where forces are kept, not how far they went ("troops were stationed 3 km away
# from the front"); a stand-off they must keep ("remain at least 10 km from the line") is a pull-back
_STATIONED_BEFORE = re.compile(
    r"\b(?:stationed|deployed|positioned|based|dug\s+in|entrenched|camped|garrisoned|розташован\w*|розміщен\w*|"
    r"дислоков\w*|расположен\w*|размещен\w*|дислоцирован\w*)\s+(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)
_STAND_OFF_BEFORE = re.compile(
    r"(?:at\s+least|no\s+(?:closer|nearer|less)\s+than|не\s+ближч\w*(?:\s+(?:ніж|за))?|не\s+ближе(?:\s+чем)?|"
    r"не\s+менше(?:\s+ніж)?|не\s+менее|щонайменше|как\s+минимум)\s*$",
    re.IGNORECASE,
)
stationed_at = CueRule(before=_STATIONED_BEFORE, span=50, not_before=_STAND_OFF_BEFORE, not_span=30)
# a journey given by its length ("refugees walked 30 km", "біженці пройшли 20 км"), not an advance into the
# other side ("units drove 20 km into Russia", "пройшли 5 км углиб")
_TRAVEL_BEFORE = re.compile(
    r"\b(?:walk(?:s|ed|ing)?|travel(?:l)?(?:ed|ing|s)?|hik(?:e|ed|ing)|drove|driven|driving|flew|flown|flying|marched|"
    r"trekked|cycled|прошл\w*|пройшл\w*|проїха\w*|проеха\w*|пролеті\w*|пролете\w*)\s+(?:[\w'’-]+\s+){0,2}"
    r"(?:(?:some|about|around|nearly|almost|more\s+than|over|близько|около|понад|более|майже|почти)\s+)?$",
    re.IGNORECASE,
)
_INTO_AFTER = re.compile(r"\s*(?:-|\s)?(?:deep|into|inside|forward|ahead|вглиб\w*|углиб\w*|вглубь)\b", re.IGNORECASE)
travelled = CueRule(before=_TRAVEL_BEFORE, span=50, not_after=_INTO_AFTER)
_travel_into = CueRule(before=_TRAVEL_BEFORE, span=50, after=_INTO_AFTER)


def travelled_into(sentence: str, q: Quantity) -> bool:
    """Forces that went N km into the other side, named by a verb of travel ("пройшли 5 км углиб").

    >>> from geo.text.quantities import find_quantities
    >>> s = "Штурмовики пройшли 5 км углиб оборони ворога."
    >>> travelled_into(s, find_quantities(s)[0])
    True
    >>> s = "Біженці пройшли 5 км углиб країни."
    >>> travelled_into(s, find_quantities(s)[0])
    False
    """
    return _travel_into(sentence, q) and bool(_FORCES.search(sentence[: q.start]))


# forces moving into the other side, even in a sentence that names a buffer zone ("moved up to 15 km beyond
# the buffer zone into Syrian territory"): the depth of an advance
_MOVE_IN_BEFORE = re.compile(
    r"\b(?:mov(?:e|es|ed|ing)|advanc\w*|push(?:es|ed|ing)?|went|gone|come|came|penetrat\w*|intrud\w*|entered|drove|"
    r"driven|ventured)\b"
    r"[^,;.]{0,40}$",
    re.IGNORECASE,
)
_moved_in = CueRule(before=_MOVE_IN_BEFORE, span=60)


def advanced_inside(sentence: str, q: Quantity) -> bool:
    """Forces that moved N km into the other side, named by a movement verb before the figure.

    >>> from geo.text.quantities import find_quantities
    >>> s = "Israeli forces have moved up to 15 km beyond the buffer zone into Syrian territory."
    >>> advanced_inside(s, find_quantities(s)[0])
    True
    >>> s = "Israeli forces hold a buffer zone up to 15 km into Syrian territory."
    >>> advanced_inside(s, find_quantities(s)[0])
    False
    """
    return _moved_in(sentence, q) and forces_inside(sentence, q)


# "heavy weapons were seen 5 km from the contact line": where something was observed, not how far it went
SEEN_BEFORE = re.compile(
    r"\b(?:seen|spotted|saw|observed|recorded|detected|sighted|noticed|heard|чули|чути|чутно|слышал\w*|слышны|фіксу\w*|зафіксува\w*|зафіксовано|"
    r"помітил\w*|помічен\w*|зафиксирова\w*|замечен\w*|заметил\w*)\b",
    re.IGNORECASE,
)
observed_at = CueRule(before=SEEN_BEFORE, span=70)
# the verb's source right before the figure: the verb governs the place left, not the figure
FROM_SOURCE_BEFORE = re.compile(r"\b(?:from|out\s+of)\s+(?:[\w'’-]+\s+){0,2}$", re.IGNORECASE)
# a thing or place right before the figure in a pull-back story: where it is ("mines in villages 30 km from")
THING_BEFORE = re.compile(
    r"\b(?:town|village|city|settlement|bridge|checkpoint|depot|base|hill|airfield|село|села|селах|міст\w*|город\w*|"
    r"мост\w*|міст)s?\s+(?:located\s+|lying\s+|situated\s+)?(?:about\s+|some\s+|around\s+|only\s+|just\s+)?(?:в\s+|у\s+|за\s+)?$",
    re.IGNORECASE,
)
thing_at = CueRule(before=THING_BEFORE, span=50)
# a strike or shelling right before the figure in a pull-back story: where it hit ("struck 20 km behind the line")
STRIKE_BEFORE = re.compile(
    r"\b(?:struck|strikes?|hit|shell(?:ed|ing)|attack(?:ed|s)?|bombed|обстріл\w*|обстрел\w*|удар\w*|влучи\w*|"
    r"атакува\w*|атаковал\w*)\b[^,;]{0,30}$",
    re.IGNORECASE,
)
struck_at = CueRule(before=STRIKE_BEFORE, span=60)
# an evacuation of people: the villages a measure covers, not a pull-back
EVACUATION = re.compile(r"\b(?:евакуа\w*|евакую\w*|эвакуа\w*|эвакуи\w*|evacuat\w*)", re.IGNORECASE)
# a state body named after security ("Служба безпеки", "Совет безопасности", "Security Council"): no zone
INSTITUTION = re.compile(
    r"\b(?:Служб\w*|Рад\w*|Совет\w*|Совбез\w*|Комітет\w*|Комитет\w*)\s+(?:національної\s+|национальной\s+)?"
    r"(?:безпеки|безопасности)\b|\bSecurity\s+(?:Service|Council|Committee)\b",
)


def last_cue_wins(sentence: str, q: Quantity, cue: re.Pattern[str], rival: re.Pattern[str], span: int = 100) -> bool:
    r"""``cue`` is found before the figure, and later than any ``rival`` (an evacuation, not a pull-back).

    >>> from geo.text.quantities import find_quantities
    >>> pull = re.compile(r"отвел\w*")
    >>> s = "После эвакуации жителей войска отвели на 15 км от линии."
    >>> last_cue_wins(s, find_quantities(s)[0], EVACUATION, pull)
    False
    >>> s = "Жителей эвакуировали из сел в 15 км от линии."
    >>> last_cue_wins(s, find_quantities(s)[0], EVACUATION, pull)
    True
    """
    before = sentence[max(0, q.start - span) : q.start]
    found = [m.end() for m in cue.finditer(before)]
    rivals = [m.end() for m in rival.finditer(before)]
    return bool(found) and (not rivals or found[-1] > rivals[-1])


def read_word_list(path: Path) -> list[str]:
    """The words of a word-list file (``data/text/*.txt``): one per line, ``#`` comments and blanks skipped."""
    lines = (ln.strip() for ln in path.read_text(encoding="utf-8").splitlines())
    return [ln for ln in lines if ln and not ln.startswith("#")]


#: Word starts after "from" that are not a place (``data/text/not_places.txt``: agreements, states).
NOT_PLACES = read_word_list(config.DATA_DIR / "text" / "not_places.txt")
_NOT_PLACE = "|".join(re.escape(w) for w in NOT_PLACES)
# after the figure, even in a withdrawal story: "30 km away from Donetsk", "20 km from the buffer zone"
PLACE_AFTER = re.compile(
    r"\s*(?:[(\[][^()\[\]]{1,25}[)\]]\s*)?(?:away\b(?!\s+from\s+(?:the\s+)?(?:\w+\s+)?(?:line|contact|front|border|positions?))|"
    r"(?:away\s+)?from\s+(?:each\s+other|one\s+another)|apart\b|radius\b|"
    r"from\s+the\s+(?:[\w'’-]+\s+){1,3}(?:city|town|village|capital)\s+of\b|"
    r"from\s+(?:the\s+)?(?:buffer|facility|city|town|village|"
    rf"(?!{_NOT_PLACE})[A-ZА-ЯІЇЄҐ][\w'’-]+)|of\s+the\s+buffer|"
    r"outside\s+(?:the\s+)?(?:city|town|village|(?-i:[A-Z][\w'’-]+)))",
)
FROM_A_PLACE = re.compile(r"\s*(?:away\s+)?(?:from|outside)\s+(?!each\s+other|one\s+another)", re.I)


# a buffer or security zone named right before or after the figure: its extent, not a pull-back
ZONE_AFTER = re.compile(
    r"\s*(?:[\w-]+\s+)?(?:buffer\s+|security\s+|secure\s+|safe\s+|demilitari[sz]ed\s+)?(?:zone|зон\w*)\b|\s*no[-\s]man['’]s[-\s]land\b|"
    r"\s*(?:-|\s)?buffer\b",
    re.I,
)
ZONE_OR_PULLBACK = re.compile(
    r"\b(?:zone|зон\w*)|(?P<pull>\b(?:withdr\w*|pull\w*|mov\w*|distance|отвод\w*|отвест\w*|отвед\w*|відвед\w*|відвест\w*|"
    r"расстояни\w*|відстан\w*|\w*отвел\w*|\w*відвел\w*))",
    re.I,
)


def zone_extent(sentence: str, q: Quantity) -> bool:
    """The figure states how wide a zone is ("30-km zone", "zone ... from 50 to 140 km").

    >>> from geo.text.quantities import find_quantities
    >>> s = "Зона безпеки повинна становити від 50 до 140 км."
    >>> zone_extent(s, find_quantities(s)[0])
    True
    """
    if ZONE_AFTER.match(after_brackets(sentence, q)[:40]):  # "a 30km (19 miles) buffer"
        return True
    found = list(ZONE_OR_PULLBACK.finditer(sentence[max(0, q.start - 60) : q.start]))
    return bool(found) and found[-1].group("pull") is None
