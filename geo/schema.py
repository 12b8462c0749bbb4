"""Column names, identifiers and vocabularies shared by every module.

One place for the strings the rest of the code base uses, so that no column
name is spelled out in two places (a lesson from movingpandas).
"""

from __future__ import annotations

CRS = "EPSG:4326"

# --- reference lines -------------------------------------------------------
LINE_MINSK_2014 = "minsk_2014_09_19"
LINE_CONTACT_2015_01 = "contact_2015_01_20"
LINE_CONTACT_2015_02 = "contact_2015_02_20"
AGREED_LINE = LINE_MINSK_2014

# data/lines.csv
LINE_ID = "line_id"
LINE_NAME = "name"
LINE_DATE = "date"
LINE_KIND = "kind"  # agreed | contact | claimed | drawn
LINE_DRAWN_BY = "drawn_by"
LINE_AGREED_BY = "agreed_by"
LINE_PRECISION_KM = "precision_km"
LINE_SOURCES = "sources"  # ';'-separated source ids
LINE_METHOD = "method"
LINE_COLUMNS = [
    LINE_ID,
    LINE_NAME,
    LINE_DATE,
    LINE_KIND,
    LINE_DRAWN_BY,
    LINE_AGREED_BY,
    LINE_PRECISION_KM,
    LINE_SOURCES,
    LINE_METHOD,
]
# Side rule of a line (optional columns of lines.csv, see geo.analysis.sides):
# point | left | right | inside | outside | "" (no rule)
LINE_SIDE_RULE = "side_rule"
LINE_SIDE_PARTY = "side_party"  # the party holding the side the rule names
LINE_SIDE_OTHER = "other_party"  # the party holding the other side
LINE_SIDE_LON = "side_lon"  # point rule: a point on side_party's side
LINE_SIDE_LAT = "side_lat"
LINE_SIDE_COLUMNS = [LINE_SIDE_RULE, LINE_SIDE_PARTY, LINE_SIDE_OTHER, LINE_SIDE_LON, LINE_SIDE_LAT]

# data/line_vertices.csv
V_LINE_ID = "line_id"
V_SEQ = "seq"
V_LON = "lon"
V_LAT = "lat"
V_SETTLEMENT = "settlement"
V_GAZETTEER = "gazetteer"  # "geonames:<id>" or "authored"
V_NOTE = "note"
VERTEX_COLUMNS = [V_LINE_ID, V_SEQ, V_LON, V_LAT, V_SETTLEMENT, V_GAZETTEER, V_NOTE]

# --- sources (data/sources.csv) --------------------------------------------
SOURCE_ID = "source_id"
SOURCE_PUBLISHER = "publisher"
SOURCE_TITLE = "title"
SOURCE_URL = "url"
SOURCE_PUBLISHED = "published"
SOURCE_LANGUAGE = "language"
SOURCE_KIND = "source_kind"  # news | official | monitor | social
SOURCE_COLUMNS = [
    SOURCE_ID,
    SOURCE_PUBLISHER,
    SOURCE_TITLE,
    SOURCE_URL,
    SOURCE_PUBLISHED,
    SOURCE_LANGUAGE,
    SOURCE_KIND,
]
SOURCE_KINDS = ("news", "official", "monitor", "social")

# --- claims (data/claims.csv) ----------------------------------------------
CLAIM_ID = "claim_id"
CLAIM_QUOTE = "quote"
CLAIM_ACTOR = "actor"  # who asserts
CLAIM_PARTY = "party"  # party the claim concerns
CLAIM_STANCE = "stance"  # asserts | acknowledges | denies
CLAIM_KIND = "kind"  # area | distance | withdrawal_distance | "" (no figure)
CLAIM_VALUE = "value"
CLAIM_UNIT = "unit"
CLAIM_QUALIFIER = "qualifier"
CLAIM_VALUE_KM2 = "value_km2"
CLAIM_VALUE_KM = "value_km"
CLAIM_REFERENCE_LINE = "reference_line"  # a LINE_ID or ""
CLAIM_SIDE = "side"  # a party id of the claim's theatre, or "": who holds the ground beyond the line
CLAIM_EVENT_DATE = "event_date"
CLAIM_VALID_FROM = "valid_from"
CLAIM_VALID_TO = "valid_to"
CLAIM_SOURCE_ID = "source_id"
CLAIM_REL_SOURCE = "reliability_source"  # Admiralty A-F
CLAIM_REL_INFO = "reliability_info"  # Admiralty 1-6
CLAIM_NOTES = "notes"
CLAIM_TAGS = "tags"  # ';'-separated
CLAIM_GEOMETRY = "geometry_wkt"  # optional WKT in EPSG:4326
CLAIM_COLUMNS = [
    CLAIM_ID,
    CLAIM_QUOTE,
    CLAIM_ACTOR,
    CLAIM_PARTY,
    CLAIM_STANCE,
    CLAIM_KIND,
    CLAIM_VALUE,
    CLAIM_UNIT,
    CLAIM_QUALIFIER,
    CLAIM_VALUE_KM2,
    CLAIM_VALUE_KM,
    CLAIM_REFERENCE_LINE,
    CLAIM_SIDE,
    CLAIM_EVENT_DATE,
    CLAIM_VALID_FROM,
    CLAIM_VALID_TO,
    CLAIM_SOURCE_ID,
    CLAIM_REL_SOURCE,
    CLAIM_REL_INFO,
    CLAIM_NOTES,
    CLAIM_TAGS,
    CLAIM_GEOMETRY,
]
# the interval, dimension and period of a claim (issue 18), added after the columns above
CLAIM_VALUE_MIN = "value_min"  # lower bound of the figure, in ``unit`` as written
CLAIM_VALUE_MAX = "value_max"  # upper bound (= value_min when not a range)
CLAIM_DIMENSION = "dimension"  # what a length measures: one of CLAIM_DIMENSIONS
CLAIM_PERIOD_START = "period_start"  # the period of the change ("in 2024", "since January")
CLAIM_PERIOD_END = "period_end"
CLAIM_INTERVAL_COLUMNS = [CLAIM_VALUE_MIN, CLAIM_VALUE_MAX, CLAIM_DIMENSION, CLAIM_PERIOD_START, CLAIM_PERIOD_END]
#: the columns a claims file written before the interval columns has (shipped seed tables)
CLAIM_FILE_COLUMNS = list(CLAIM_COLUMNS)
CLAIM_COLUMNS += CLAIM_INTERVAL_COLUMNS
#: the theatre (dispute) a stored claim belongs to; a theatre's own claims.csv leaves it out
CLAIM_THEATRE = "theatre"
CLAIM_DIMENSIONS = ("depth", "width", "length", "distance", "withdrawal", "")
STANCES = ("asserts", "acknowledges", "denies")
CLAIM_KINDS = ("area", "distance", "withdrawal_distance", "")
QUALIFIERS = ("more_than", "at_least", "about", "up_to", "less_than", "exactly", "")
# Sides and parties are each theatre's (``theatre.json``); see geo.claims.theatre_rules.

# --- boundaries ------------------------------------------------------------
B_NAME = "name"
B_ISO = "iso_3166_2"
B_NAME_UK = "name_uk"
B_DISPUTED = "disputed"
B_NOTE = "note"
AREA_KM2 = "area_km2"
OBLAST_DONETSK = "UA-14"
OBLAST_LUHANSK = "UA-09"
FRONT_OBLASTS = (OBLAST_DONETSK, OBLAST_LUHANSK)

# --- contested areas -------------------------------------------------------
C_FROM_LINE = "from_line"
C_TO_LINE = "to_line"
C_HELD_BY = "held_by"
C_CLAIM_IDS = "claim_ids"
C_OBLAST = "oblast"

# --- settlements (data/settlements.csv) ------------------------------------
S_NAME = "name"
S_NAME_ALT = "name_alt"
S_LON = "lon"
S_LAT = "lat"
S_POPULATION = "population"
S_OBLAST = "oblast"  # ISO 3166-2
S_GEONAMEID = "geonameid"
S_SOURCE = "source"

# --- implied areas, claimed vs measured, security zones (issue 5) -----------
CLAIM_VALUE_MAX_KM2 = "value_max_km2"  # optional: upper end of a range figure
I_CLAIMED_KM2 = "claimed_km2"
I_WIDTH_KM = "width_km"
I_BOUND = "bound"  # lower | upper | estimate
BOUND_LOWER = "lower"
BOUND_UPPER = "upper"
BOUND_ESTIMATE = "estimate"
M_MEASURED_KM2 = "measured_km2"
M_MEASURED_LOW_KM2 = "measured_low_km2"
M_MEASURED_HIGH_KM2 = "measured_high_km2"
M_RATIO = "ratio"
M_VERDICT = "verdict"
VERDICT_CONSISTENT = "consistent"
VERDICT_LARGER = "larger"  # measured larger than claimed
VERDICT_SMALLER = "smaller"  # measured smaller than claimed
Z_PARTY = "party"
Z_AGREEMENT = "agreement"
Z_WEAPON_CLASS = "weapon_class"
Z_ZONE_WIDTH_KM = "zone_width_km"
