"""Which figures of a sentence are territorial claims: cues, qualifiers, kind, dimension.

A sentence gives a claim only when it speaks of territory changing hands or
being held (:data:`TERRITORY_CUE`); a figure that locates a place ("20 km north
of Donetsk"), measures trenches, roads or a front, or gives the size of a
country is not a claim (:func:`is_claim_figure`). :func:`classify` gives the
claim's kind, :func:`dimension_of` what a length measures, :func:`find_qualifier`
and :func:`qualifier_detail` how the figure is qualified, and
:func:`conversion_warning` checks a bracketed conversion ("500 sq km (194 sq mi)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.text.conversions import CONVERSION_TOLERANCE, conversion_warning
from geo.text.depths import depth_named, dug_work, zone_measured
from geo.text.ellipsis import elided_kind
from geo.text.incursions import across_line
from geo.text.measures import (
    COUNTRY_AREA_BEFORE,
    DEMINED_BEFORE,
    EVACUATION,
    FORCES,
    FROM_A_PLACE,
    FROM_SOURCE_BEFORE,
    INSTITUTION,
    NOT_GROUND_AFTER,
    PLACE_AFTER,
    STRIKE_BEFORE,
    WIDE_FRONT_AFTER,
    ZONE_AFTER,
    CueRule,
    advanced_inside,
    after_brackets,
    behind_line,
    depth_is,
    depth_is_ukru,
    forced_back,
    forces_inside,
    front_breadth,
    ground_taken,
    last_cue_wins,
    locates_or_reaches,
    measured_advance,
    moved_forward,
    observed_at,
    place_before_figure,
    places_covered,
    separation_kept,
    stationed_at,
    struck_at,
    thing_at,
    travelled,
    travelled_into,
    zone_extent,
    zone_length,
)
from geo.text.qualifiers import QUALIFIER_DETAILS, find_qualifier, qualifier_detail
from geo.text.quantities import Quantity
from geo.text.zones import zone_dimension, zone_named_after
from geo.units import AREA, LENGTH
from geo.vocab import ClaimKind

__all__ = [
    "CONVERSION_TOLERANCE",
    "DIMENSIONS",
    "KIND_AREA",
    "KIND_DISTANCE",
    "KIND_WITHDRAWAL",
    "QUALIFIER_DETAILS",
    "TERRITORY_CUE",
    "Cues",
    "classify",
    "conversion_warning",
    "dimension_of",
    "find_qualifier",
    "is_claim_figure",
    "qualifier_detail",
]

KIND_AREA: str = ClaimKind.AREA.value
KIND_DISTANCE: str = ClaimKind.DISTANCE.value
KIND_WITHDRAWAL: str = ClaimKind.WITHDRAWAL_DISTANCE.value

#: What a length measures.
DIMENSIONS = ("depth", "width", "length", "distance", "withdrawal", "")


# --- cues: does a sentence speak of ground? -----------------------------------
TERRITORY_CUE = re.compile(
    r"\b(?:seiz\w*|captur\w*|recaptur\w*|gain\w*|los[te]\w*|lose|losing|took|tak(?:e|en|es|ing)|"
    r"retak\w*|retook|hold\w*|held|control\w*|occup\w*|liberat\w*|freed|free(?:d|ing)?|"
    r"reclaim\w*|regain\w*|annex\w*|grab\w*|overr?an|overrun|conquer\w*|territor\w*|land|"
    r"ground|advanc\w*|push\w*|withdr[ae]w\w*|pull\w*|retreat\w*|cede\w*|ceding|"
    r"buffer|(?:security|demilitari[sz]ed|safe|exclusion)\s+zones?|seized|expand\w*|cleared|de-?occup\w*|counter-?offensive|offensive|"
    r"shr[ai]nk|shrunk|reduced\s+to|incursion|intru\w*|penetrat\w*|cling\w*\s+(?:on\s+)?to|"
    r"глибин\w*|глубин\w*|вклини\w*|вклинил\w*|вклинен\w*|"
    r"звільн\w*|захопи\w*|захопл\w*|захоплено|окуп\w*|деокуп\w*|деоккуп\w*|контрол\w*|відвед\w*|відвест\w*|відтяг\w*|оттяг\w*|"
    r"занима\w*|занял\w*|взял\w*|взят\w*|просун\w*|просува\w*|продвину\w*|продвига\w*|відвел\w*|отвел\w*|"
    r"освобо\w*|захват\w*|захвач\w*|оккуп\w*|отвод\w*|отвест\w*|отошл\w*|територ\w*|территор\w*|"
    r"відтісн\w*|оттесн\w*|витісн\w*|вытесн\w*|площ\w*\s+(?:бойових\s+дій|боевых\s+действий)|продвижени\w*|"
    r"успех\w*|успіх\w*|утриму\w*|утрима\w*|удержива\w*|удержа\w*|"
    # ground fought over: "52 square kilometers of the region as disputed", "contested territory", "grey zone"
    r"(?:as|are|is|remains?)\s+(?:disputed|contested)|(?:disputed|contested)\s+(?:land|territor\w*|areas?|zones?)|"
    r"gr[ae]y\s+zone|сір\w*\s+зон\w*|сер\w*\s+зон\w*)",
    re.IGNORECASE,
)
_WITHDRAWAL_CUE = re.compile(
    r"\b(?:withdr[ae]w\w*|pull(?:ed|ing|s)?[\s-]+(?:back|out)|pullback|pull-back|"
    r"buffer|security\s+zone|safety\s+zone|exclusion\s+zone|\bDMZ\b|\bSDBZ\b|\bTSZ\b|демілітаризован\w*|демилитаризован\w*|no[-\s]man(?:['’]s)?[-\s](?:zone|land)|demilitari[sz]\w*|heavy\s+weapons|disengage\w*|drawback|draw-?down|"
    r"from\s+the\s+(?:demarcation|contact|separation|disengagement)\s+line|line\s+of\s+(?:contact|separation)|"
    r"лінії\s+(?:розмежування|зіткнення)|линии\s+(?:разграничения|соприкосновения)|"
    r"zones?\s+(?:[\w-]+\s+){0,4}(?:wide|width|deep)\b|(?:wide|deep)\s+(?:[\w-]+\s+){0,1}zones?\b|зон\w*\s+(?:(?:имеет|має)\s+)?(?:шириной|шириною|ширину|завширшки|глубиной|глибиною)|"
    r"mov\w*\s+(?:[\w-]+\s+){0,4}back|mov\w*\s+(?:[\w-]+\s+){0,3}beyond|(?:mov|pull|withdr|push|kept|keep|stay|remain|relocat|redeploy)\w*\s+(?:[\w'’-]+\s+){0,5}away\s+from(?!\s+the\s+(?:[\w-]+\s+){0,2}(?:border|frontier))|remov(?:e|es|ed|al|ing)\W+(?:[\w'’-]+\W+){0,8}?(?:to|from)\b|(?:tak(?:e|es|en|ing)|took)\s+away|"
    r"відвед\w*|відвест\w*|відвел\w*|буферн\w*|безпеки|отвод\w*|отвест\w*|отвел\w*|безопасности|"
    r"передислок\w*|передислоц\w*|отошл\w*|отошёл|отошел|отвед\w*|відтяг\w*|оттяг\w*|отступил\w*|відступил\w*|"
    # a stand-off kept by forces: "troops are to stay at least 10 km from", "техніка не ближче ніж 15 км"
    r"(?:troops|forces|units|soldiers|weapons|artillery|guns|tanks|військ\w*|войск\w*|техні\w*|техник\w*|"
    r"озброєн\w*|вооружен\w*)\b[^.;]{0,60}?(?:no\s+(?:closer|nearer)\s+than|не\s+ближч\w*|не\s+ближе|"
    r"(?:stay|remain)\w*\s+at\s+least)|"
    # forces kept back from a line: "agreed to keep their forces 10 km behind the line"
    r"(?:keep|kept|keeping)\s+(?:[\w'’-]+\s+){0,2}(?:troops|forces|units|soldiers|weapons|artillery|guns|tanks)\b)",
    re.IGNORECASE,
)
_ADVANCE_CUE = re.compile(
    r"\b(?:advanc\w*|push\w*|moved|deep|depth|penetrat\w*|intru\w*|incursion|breakthrough|broke\s+through|"
    r"gain\w*|captur\w*|seiz\w*|liberat\w*|recaptur\w*|retak\w*|retook|took|taken|"
    r"глибин\w*|глубин\w*|вклини\w*|вклинил\w*|"
    r"control\w*|held|hold\w*|occup\w*|retreat\w*|forward|просун\w*|продвину\w*|продвига\w*|просува\w*|"
    r"звільн\w*|освобо\w*|захопи\w*|захват\w*|контрол\w*|зайня\w*|заня\w*|занял\w*|взял\w*|взят\w*|отвоева\w*|"
    r"відтісн\w*|оттесн\w*|витісн\w*|вытесн\w*|продвижени\w*|просуван\w*)",
    re.IGNORECASE,
)
# a figure that only locates something: "20 km north of Donetsk", "km from", "km away"
_LOCATION_AFTER = re.compile(
    r"\s*(?:[(\[][^()\[\]]{1,25}[)\]]\s*)?"
    r"(?:to\s+the\s+(?:north|south|east|west)(?:-?(?:east|west))?\s+of|(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?(?!\s*(?:in|over|within)\s)|"
    r"[NSEW]{1,3}|outside|away|from|off|long|high|wide\s+river|on\s+foot|of\s+(?:the\s+)?(?:city|town|village))\b"
    r"|\s*(?:(?:на|к|до)\s+)?(?:північ|південь|схід|захід|север|юг|восток|запад)\w*",
    re.IGNORECASE,
)

_COMPASS_AFTER = re.compile(
    r"\s*(?:to\s+the\s+)?(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of|[NSEW]{1,3}\s+of)\b"
    r"|\s*(?:(?:на|к|до)\s+)?(?:північ|південь|схід|захід|север|юг|восток|запад)\w*",
    re.IGNORECASE,
)


# --- which figures are claims, of what kind -----------------------------------
@dataclass(frozen=True)
class Cues:
    """Which cue families a sentence holds: scanned once per sentence, not per figure."""

    territory: bool
    withdrawal: bool
    advance: bool

    @classmethod
    def of(cls, sentence: str) -> Cues:
        """The cues of one sentence.

        >>> Cues.of("Rebels pulled back 15 km.")
        Cues(territory=True, withdrawal=True, advance=False)
        """
        return cls(
            bool(TERRITORY_CUE.search(sentence)),
            bool(_WITHDRAWAL_CUE.search(INSTITUTION.sub(" ", sentence))),
            bool(_ADVANCE_CUE.search(sentence)),
        )


# after the figure: its distance from a border ("30 km north of the Israeli border")
_BORDER_AFTER = re.compile(
    r"\s*(?:(?:to\s+the\s+)?(?:north|south|east|west)\w*\s+of|(?:away\s+)?from|inside|beyond)\s+the\s+"
    r"(?:[\w-]+\s+){0,2}(?:border|frontier|boundary)\b",
    re.IGNORECASE,
)
_CAPTURE_BEFORE = re.compile(
    r"\b(?:captur\w*|recaptur\w*|seiz\w*|took|taken|retook|retaken|overr?an|overrun|entered|liberat\w*|"
    r"(?:established|took|taken|gained|seized|assumed)\s+control\s+(?:over|of))\b",
    re.IGNORECASE,
)


#: the figure is a distance from a border ("30 km north of the Israeli border")
_border_tail = CueRule(after=_BORDER_AFTER)


# before the figure: a distance that locates ("within 1 km of", "the distance between A and B is")
_LOCATION_BEFORE = re.compile(
    r"(?:\bwithin|\bdistance\s+(?:between|from)\b[^,;]{0,60}?|\blocated\b[^,;]{0,30}?|\blies\b[^,;]{0,20}?|"
    r"\bsituated\b[^,;]{0,20}?|\bwhich\s+(?:are|is)\b[^,;]{0,15}?)\s*(?:a\s+|some\s+|about\s+|around\s+|only\s+|just\s+)?$",
    re.IGNORECASE,
)
# a river or a line named just before its distance ("the Litani River, located about 30 km")
_LINE_BEFORE = re.compile(r"\b(?:River|river|Line|line)\b[^.;]{0,30}$")
# before the figure: forces that went deep into the other side ("had driven deep into the country")
_DEEP_INTO_BEFORE = re.compile(
    r"\b(?:driven|drove|pushed|advanced|penetrated|broken|broke|moved)\s+(?:deep\s+|deeper\s+|far\s+)?"
    r"(?:into|inside|through)\b|\bdeep\s+into\b|\bincursion\b|\bdeepest\s+(?:point|advance|penetration)\b",
    re.IGNORECASE,
)


#: a point "N km from the border" in a sentence about forces driven deep across it: the depth
_deep_from_border = CueRule(
    before=_DEEP_INTO_BEFORE, span=160, after=_BORDER_AFTER, not_before=_LOCATION_BEFORE, not_span=80
)


#: a point captured "N km from the border": the depth of the advance across it
_captured_from_border = CueRule(before=_CAPTURE_BEFORE, span=120, after=_BORDER_AFTER)


# the verb that governs the figure, right before it: "retreat 30 km", "advanced its positions for 400 m"
_FILLER = (
    r"(?:(?:by|to|for|some|about|around|nearly|almost|roughly|up\s+to|another|a\s+further|на|до|ще|расстояние|відстань|дистанци[юі]|"
    r"приблизно|приблизительно|примерно|около|близько|почти|майже|понад|более|свыше|"
    # "advanced by at least 30 km", "retreated to a distance of 2 km": a qualifier or the measure named
    r"at\s+least|more\s+than|over|just\s+over|less\s+than|approximately|an?\s+(?:distance|depth|radius)\s+of)\s+)*"
)


def _governing(verbs: str) -> re.Pattern[str]:
    """A verb of ``verbs`` governing the figure: at most two words and fillers between them."""
    return re.compile(r"\b(?:" + verbs + r")\s+(?:[\w'’-]+\s+){0,2}" + _FILLER + r"$", re.IGNORECASE)


_PULLBACK_BEFORE = _governing(
    r"retreat(?:s|ed|ing)?|withdr[ae]w[ns]?|withdrawing|(?:pull|mov)(?:e|es|s|ed|ing)?\s+(?:[\w'’-]+\s+){0,2}back|f[ae]ll(?:s|en|ing)?\s+back|"
    r"отойти|отойд\w*|отход\w*|отошл\w*|отош[её]л|отступи\w*|відійш\w*|відійд\w*|відход\w*|відступи\w*"
)
_ADVANCE_BEFORE = _governing(
    r"advanc(?:e|es|ed|ing)|progress(?:es|ed|ing)?|penetrat\w*|encroach(?:es|ed|ing)?|intrud(?:e|es|ed|ing)|push(?:es|ed|ing)?(?:\s+(?:[\w'’-]+\s+){0,2}back|\s+forward)?|"
    r"просун\w*|продвину\w*|вклини\w*|"
    r"отброси\w*|отброше\w*|отбрасыва\w*|відкину\w*|відкида\w*|entered|mov(?:e|es|ed|ing)\s+forward|"
    r"отодвинут[ыао]?\b|посунули|посунув|посунула|"
    r"(?:driv(?:e|es|ing)|drove|push(?:es|ed|ing)?|mov(?:e|es|ed|ing))\s+ahead|"
    r"відвою\w*|отвоева\w*|зашл\w*|зайшл\w*|увійшл\w*|вошл\w*|"
    r"front(?:\s*line)?\s+(?:has\s+|had\s+)?(?:moved|shifted)|"
    # "extended their reach by at least 30 km": the reach of an advance, not a line's length
    r"extend(?:s|ed|ing)?\s+(?:their|its|the)\s+(?:reach|advance|gains?|positions?|foothold|bridgehead|salient|wedge)"
)
# after the figure: a held corridor or strip given by its breadth ("the five-kilometer-wide Lachin corridor")
_CORRIDOR_AFTER = re.compile(
    r"\s*(?:-|\s)?(?:wide\s+)?(?:[A-Z][\w-]+\s+)?(?:corridor|strip)\b|\s*(?:-|\s)wide\s+(?:[A-Z][\w-]+\s+)?(?:corridor|strip)\b"
)


# "move border posts 3 kilometers from the disputed area": a move away from a line or area is a pull-back
_MOVE_BEFORE = re.compile(
    r"\b(?:mov(?:e|es|ed|ing)|relocat\w*|shift(?:s|ed|ing)?)\s+(?:[\w'’-]+\s+){0,3}" + _FILLER + r"$", re.IGNORECASE
)
_MOVE_FROM_AFTER = re.compile(
    r"\s*(?:back\s+)?(?:away\s+)?from\s+the\s+(?:[\w-]+\s+){0,2}"
    r"(?:line|area|zone|spot|site|point|positions?)\b",
    re.IGNORECASE,
)

_moved_from_line = CueRule(before=_MOVE_BEFORE, span=60, after=_MOVE_FROM_AFTER)
# "Військові на кілометр мають відійти від околиць": the pull-back verb after the figure, a modal between
_PULLBACK_AFTER = re.compile(
    r"\s*(?:(?:мають|має|повинні|повинна|повинен|мусять|будуть|должны|должен|должна|будут|обязаны)\s+)?"
    r"(?:відійти|відвести|відступити|відвести\s+\w+|отойти|отвести|отступить)\b",
    re.IGNORECASE,
)
_pulled_back_after = CueRule(after=_PULLBACK_AFTER)
# a move back to a place given by its distance from the disputed line ("will move to the Tri Muk Pavilion,
# located roughly 150-200 metres from the disputed zone"): a pull-back to a line, not where a town is
_MOVED_TO_PLACE_BEFORE = re.compile(
    r"\b(?:mov(?:e|es|ed|ing)|withdr[ae]w\w*|pull(?:s|ed|ing)?\s+back|retreat\w*|return\w*|redeploy\w*|relocat\w*)"
    r"\s+(?:[\w'’-]+\s+){0,2}?(?:back\s+)?to\s+[^.;,]{1,50},\s*(?:(?:located|situated|lying)\s+)?"
    r"(?:(?:roughly|about|some|around|approximately|only|just)\s+)?$",
    re.IGNORECASE,
)
_FROM_DISPUTED_LINE_AFTER = re.compile(
    r"\s*(?:away\s+)?from\s+the\s+(?:disputed|contested|demilitari[sz]ed|buffer|contact|separation)\s+"
    r"(?:zone|area|line|border|frontier)\b",
    re.IGNORECASE,
)
# "heading for previously agreed positions 20km north of Goma": a pull-back to positions set by agreement
_AGREED_POSITIONS_BEFORE = re.compile(
    r"\b(?:previously\s+)?(?:agreed|designated|assigned|original|pre-?war)\s+"
    r"(?:positions|lines|bases|barracks)\s+(?:(?:some|about|around|roughly)\s+)?$",
    re.IGNORECASE,
)
_to_agreed_positions = CueRule(before=_AGREED_POSITIONS_BEFORE, span=60, not_before=STRIKE_BEFORE, not_span=60)
# an advance in the same clause makes the move one forward, not back
_ADVANCED_TOO = re.compile(r"\b(?:advanc\w*|push\w*|attack\w*|storm\w*|assault\w*|captur\w*|seiz\w*)", re.IGNORECASE)
_move_to_line = CueRule(
    before=_MOVED_TO_PLACE_BEFORE,
    span=110,
    after=_FROM_DISPUTED_LINE_AFTER,
    not_before=_ADVANCED_TOO,
    not_span=110,
)


def _moved_to_line(sentence: str, q: Quantity) -> bool:
    """Forces moved back to a place given by its distance from the disputed line (not refugees).

    >>> from geo.text.quantities import find_quantities
    >>> s = "Soldiers will move to the pavilion, located 200 metres from the disputed zone."
    >>> _moved_to_line(s, find_quantities(s)[0])
    True
    """
    return _move_to_line(sentence, q) and bool(FORCES.search(sentence[: q.start]))


def _local_verb(sentence: str, q: Quantity) -> str:
    """The kind a verb right before the figure gives it, or ``""``.

    >>> from geo.text.quantities import find_quantities
    >>> s = "Azerbaijan pulled back its troops after having advanced its positions for 400 meters."
    >>> _local_verb(s, find_quantities(s)[0])
    'distance'
    """
    before = sentence[max(0, q.start - 60) : q.start]
    if _ADVANCE_BEFORE.search(before):
        return KIND_DISTANCE
    if _PULLBACK_BEFORE.search(before):
        return KIND_DISTANCE if forced_back(sentence, q) else KIND_WITHDRAWAL
    if any(rule(sentence, q) for rule in (_moved_from_line, _pulled_back_after, _moved_to_line, _to_agreed_positions)):
        return KIND_WITHDRAWAL
    return ""


def classify(sentence: str, q: Quantity, cues: Cues | None = None) -> str:
    """The kind of claim a figure makes in its sentence, or ``""``.

    Examples
    --------
    >>> from geo.text.quantities import find_quantities
    >>> s = "Rebels pulled back 15 km from the line."
    >>> classify(s, find_quantities(s)[0])
    'withdrawal_distance'
    >>> s = "Shelling hit a village 20 km north of Donetsk."
    >>> classify(s, find_quantities(s)[0])
    ''
    """
    cues = cues or Cues.of(sentence)
    withdrawal = cues.withdrawal
    if q.dimension == LENGTH:
        if cues.withdrawal and zone_named_after(sentence, q):
            return KIND_WITHDRAWAL  # "entered the 25-kilometer (15-mile) wide Temporary Security Zone": its width
        local = _local_verb(sentence, q) or elided_kind(sentence, q, KIND_WITHDRAWAL, KIND_DISTANCE)
        if local:
            return local
        if behind_line(sentence, q) or separation_kept(sentence, q) or zone_measured(sentence, q):
            return KIND_WITHDRAWAL  # a pull-back behind a line N km from the border; a minimum gap between the sides
        if _CORRIDOR_AFTER.match(sentence[q.end : q.end + 40]) or any(
            rule(sentence, q)
            for rule in (
                front_breadth,
                depth_is,
                depth_is_ukru,
                depth_named,
                moved_forward,
                travelled_into,
                ground_taken,
                across_line,
            )
        ):
            return KIND_DISTANCE
    if q.dimension == LENGTH and cues.territory and _captured_from_border(sentence, q):
        return KIND_DISTANCE
    if q.dimension == LENGTH and not cues.withdrawal and _deep_from_border(sentence, q):
        return KIND_DISTANCE
    if (
        q.dimension == LENGTH
        and not withdrawal
        and ((cues.advance and measured_advance(sentence, q)) or forces_inside(sentence, q))
    ):
        return KIND_DISTANCE
    if not cues.territory and not (withdrawal and q.dimension == LENGTH):
        return ""
    if q.dimension == AREA:
        return KIND_AREA
    if q.dimension != LENGTH:
        return ""
    tail = re.sub(r"^\s*[(\[][^()\[\]]{1,25}[)\]]", "", sentence[q.end : q.end + 70])[:45]
    located = _LOCATION_AFTER.match(tail)
    if withdrawal:
        if _COMPASS_AFTER.match(tail) and not _BORDER_AFTER.match(tail):
            return ""  # "10 km north of ..." locates a place even in a pull-back story
        return KIND_DISTANCE if advanced_inside(sentence, q) else KIND_WITHDRAWAL
    if located:
        return ""
    if cues.advance:
        return KIND_DISTANCE
    return ""


_WIDTH_AFTER = re.compile(
    r"\s*(?:-|\s)?(?:wide|width|broad|across|in\s+width|in\s+breadth)\b|\s*(?:завширшки|шириной|ширин\w*)|"
    r"\s*(?:по\s+фронт\w*|по\s+(?:всей\s+)?линии\s+фронта|"
    r"(?:in\s+length\s+)?along\s+the\s+(?:whole\s+|entire\s+)?(?:front(?:\s*line)?|contact\s+line|line\s+of\s+contact)\b)|"
    r"\s*(?:-|\s)?(?-i:(?:[A-Z][\w-]+\s+)?(?:corridor|strip))\b",
    re.I,
)
# a pull-back measured on each side of a line: "2 km to the south and 2 to the north", "15 км с каждой стороны"
_PER_SIDE_AFTER = re.compile(
    r"\s*(?:to\s+the\s+(?:north|south|east|west)\s+and\b|(?:north|south|east|west)\s+and\s+(?:north|south|east|west)\s+of\b|"
    r"(?:on\s+|along\s+)?(?:each|either|both)\s+sides?\b|"
    r"з\s+кожного\s+боку|з\s+обох\s+боків|с\s+каждой\s+стороны|в\s+каждую\s+сторону|по\s+обе\s+стороны)",
    re.I,
)
_DEPTH_AFTER = re.compile(
    r"\s*(?:-|\s)?(?:deep|depth|into|inside|in\s+depth|forward|ahead|westwards?|eastwards?|to\s+the\s+(?:west|east))\b|"
    r"\s*(?:углуб\w*|вглубь|вглиб\w*)",
    re.I,
)
_LENGTH_AFTER = re.compile(r"\s*(?:-|\s)?(?:long|length)\b|\s*(?:завдовжки|протяжен\w*|длин\w*)", re.I)
_WIDTH_BEFORE = re.compile(
    r"\b(?:width|wide|widening)\b[^,;]{0,20}$|(?:шириной|шириною|завширшки|ширин\w*)\s+(?:[\w-]+\s+){0,3}$", re.I
)


# before the figure: the length of a sector taken along the front ("район обороны протяженностью свыше 4 км")
_SECTOR_LENGTH_BEFORE = re.compile(
    r"(?:протяжн\w*|протяжен\w*)\s+(?:(?:свыше|более|около|почти|до|понад|близько|майже)\s+)?$",
    re.IGNORECASE,
)


def dimension_of(sentence: str, q: Quantity, kind: str) -> str:
    """What a length measures: depth, width, length or withdrawal (``""`` for areas)."""
    if q.dimension != LENGTH:
        return ""
    if kind == KIND_DISTANCE and _SECTOR_LENGTH_BEFORE.search(sentence[max(0, q.start - 40) : q.start]):
        return "width"  # a sector taken, measured along the front: the breadth of the gain
    tail = after_brackets(sentence, q)[:40]
    deep_after = _DEPTH_AFTER.match(tail) and not re.match(r"\s*(?:into|inside)\b", tail, re.I)
    if _WIDTH_AFTER.match(tail) or (_WIDTH_BEFORE.search(sentence[max(0, q.start - 45) : q.start]) and not deep_after):
        return "width"
    if _LENGTH_AFTER.match(tail):
        return "length"
    if kind == KIND_WITHDRAWAL:
        if _PER_SIDE_AFTER.match(tail):
            return "withdrawal"
        zone = zone_dimension(sentence, q)  # out of a zone around a city; a zone's depth in uk/ru
        if zone:
            return zone
        return "width" if zone_extent(sentence, q) or separation_kept(sentence, q) else "withdrawal"
    if _DEPTH_AFTER.match(tail) or kind == KIND_DISTANCE:
        return "depth"
    return "distance"


# before the figure: the size of a whole country or region, not ground that changed hands
_SIZE_BEFORE = re.compile(
    r"\b(?:a\s+country|a\s+nation|total\s+(?:area|landmass)|landmass|the\s+size|an\s+area\s+the\s+size)\s+of\s+"
    r"(?:about\s+|some\s+|roughly\s+|around\s+)?$|\b(?:covers|spans)\s+(?:about\s+|some\s+|roughly\s+)?$",
    re.IGNORECASE,
)


# before the figure: the length of a line or zone along itself ("runs for more than 180 km")
_RUNS_FOR_BEFORE = re.compile(
    r"\b(?:runs?|running|stretch(?:es|ing)?|extend(?:s|ing)?)\s+(?:for\s+)?"
    r"(?:more\s+than\s+|over\s+|upwards\s+of\s+|about\s+|some\s+|nearly\s+|almost\s+|roughly\s+)?$|"
    # "лінія зіткнення проходить за 2 км від села": where a line runs, not a pull-back
    r"(?:проходить|проходит|пролягає|пролегает|тягнеться|тянется)\s+(?:за\s+|в\s+)?"
    r"(?:(?:приблизно|близько|около|примерно)\s+)?$",
    re.IGNORECASE,
)


# before the figure: the distance still left to a place ("до адмінмеж міста лишається близько 2 кілометрів")
_REMAINS_BEFORE = re.compile(
    r"(?:лишається|залишається|лишилося|залишилося|лишилось|залишилось|остается|остаётся|осталось)\s+"
    r"(?:(?:близько|приблизно|менше|понад|лише|ще|около|примерно|менее|более|всего|лишь|еще|ещё)\s+)?$",
    re.IGNORECASE,
)


# after the figure: a strip or corridor that runs across the land, given by its length ("a four-mile strip of
# land that bisects northern Gaza"), not the breadth of a held strip
_STRIP_ACROSS_AFTER = re.compile(
    r"\s*(?:-|\s)?(?:long\s+)?(?:(?!-?(?:wide|broad)\b)[\w-]+\s+)?(?:strip|corridor)(?:\s+of\s+land)?,?\s+(?:that|which)\s+"
    r"(?:bisects?|splits?|cuts?|divides?|links?|connects?|separates?)\b",
    re.IGNORECASE,
)


# a bracketed conversion ("(56,827 square miles)"), dropped from the words before a figure
_CONVERSION = re.compile(r"\s*[(\[][^()\[\]]{1,25}[)\]]")


def is_claim_figure(sentence: str, q: Quantity, kind: str) -> bool:
    """False for a figure that measures trenches, roads, a front or a country, or that locates a place.

    Examples
    --------
    >>> from geo.text.quantities import find_quantities
    >>> s = "Troops took 40 km of trenches."
    >>> q = find_quantities(s)[0]
    >>> is_claim_figure(s, q, classify(s, q))
    False
    """
    tail = sentence[q.end : q.end + 60]
    if NOT_GROUND_AFTER.match(tail) and not (kind == KIND_DISTANCE and WIDE_FRONT_AFTER.match(tail)):
        return False
    if _SIZE_BEFORE.search(sentence[max(0, q.start - 40) : q.start]):
        return False
    if q.dimension == AREA and DEMINED_BEFORE.search(sentence[max(0, q.start - 80) : q.start]):
        return False  # "обследовано 30 гектаров территории": an area searched for mines
    if q.dimension == AREA and COUNTRY_AREA_BEFORE.search(
        _CONVERSION.sub("", sentence[max(0, q.start - 110) : q.start])
    ):
        return False  # "the country's total area has increased from 147,181 sq km (56,827 sq mi) to"
    if q.dimension == LENGTH:
        if dug_work(sentence, q):
            return False  # "a ditch 3.5 metres wide and 2-3 metres deep"
        before = sentence[max(0, q.start - 80) : q.start]
        after = after_brackets(sentence, q)
        if kind == KIND_DISTANCE and across_line(sentence, q):
            return True  # "Qatana, which is 10 km into Syrian territory": how deep the force got, not where a town is
        if kind == KIND_WITHDRAWAL and _moved_to_line(sentence, q):
            return True  # a move back to a place placed by its distance from the line: the pull-back's extent
        if _REMAINS_BEFORE.search(before) or _STRIP_ACROSS_AFTER.match(after):
            return False  # the distance left to a place; a strip's length across the land
        if _RUNS_FOR_BEFORE.search(before) and not (
            _DEPTH_AFTER.match(after) or _PER_SIDE_AFTER.match(after) or behind_line(sentence, q)
        ):
            return False
        from_border = kind in (KIND_WITHDRAWAL, KIND_DISTANCE) and _border_tail(sentence, q)
        governed = _local_verb(sentence, q)
        placed = place_before_figure(sentence, q)
        if kind == KIND_WITHDRAWAL and placed and not governed:
            return False  # "withdrew from Khiam, a town 6 km from the border": where the town is
        if (
            kind == KIND_WITHDRAWAL
            and not governed
            and not ZONE_AFTER.match(after)  # "stationed in a 25-km buffer zone": the zone's width
            and (
                observed_at(sentence, q)
                or thing_at(sentence, q)
                or struck_at(sentence, q)
                or stationed_at(sentence, q)
                or last_cue_wins(sentence, q, EVACUATION, _WITHDRAWAL_CUE)
            )
        ):
            return False  # "tanks were seen 20 km from the line", "blew up a bridge 3 km outside the town"
        if kind == KIND_DISTANCE and placed and not governed and not from_border:
            return False  # "retreated to Kramatorsk, 20 km to the south": where the town is
        if _LOCATION_BEFORE.search(before) and not separation_kept(sentence, q):
            # "withdrew from the temple, which lies 500 metres from the border": where the place left is,
            # unless the place is the line forces go behind ("the Litani River, located 30 km north of")
            if not from_border or (kind == KIND_WITHDRAWAL and not governed and not _LINE_BEFORE.search(before)):
                return False
        # "withdrew 3 km from the town" is the pull-back; not "withdrew from positions 2 km from the village"
        pulled_from = governed and not placed and not FROM_SOURCE_BEFORE.search(before) and FROM_A_PLACE.match(tail)
        if PLACE_AFTER.match(tail) and not from_border and not pulled_from:
            return False  # "30 km away from Donetsk", "900 meters apart"
        if kind == KIND_WITHDRAWAL and zone_length(sentence, q):
            return False  # a zone or line along itself, not a pull-back or a breadth across it
        if locates_or_reaches(sentence, q) and not (from_border or _local_verb(sentence, q)):
            return False
        if places_covered(sentence, q) or (travelled(sentence, q) and not governed):
            return False  # "villages up to 10 km from the border"; "refugees walked 30 km"
    return bool(kind)
