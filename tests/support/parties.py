"""The Donbas theatre's party ids, for tests (the app reads them from ``theatre.json``)."""

from __future__ import annotations

from geo.config import SEED_THEATRE_DIR
from geo.theatres.model import read_manifest

PARTY_SEPARATISTS, PARTY_UKRAINE = read_manifest(SEED_THEATRE_DIR).party_ids
#: The sides a Donbas claim may name ("" for none).
SIDES = (PARTY_SEPARATISTS, PARTY_UKRAINE, "")
