"""Keyed hashes of local patient identifiers, and made-up display aliases."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

# Two syllable lists give 400 short, pronounceable aliases per letter pair; with the hash's
# digits appended they are unique enough to tell patients apart on a ward list.
_FIRST = [
    "Ash",
    "Bay",
    "Cal",
    "Dun",
    "Elm",
    "Fen",
    "Gil",
    "Hal",
    "Ivy",
    "Jun",
    "Kes",
    "Lin",
    "Mor",
    "Nel",
    "Oak",
    "Pim",
    "Quin",
    "Ros",
    "Sol",
    "Tam",
]
_SECOND = [
    "bury",
    "croft",
    "dale",
    "field",
    "ford",
    "gate",
    "hill",
    "holm",
    "ley",
    "mere",
    "moor",
    "ridge",
    "shaw",
    "stone",
    "thorpe",
    "ton",
    "vale",
    "well",
    "wick",
    "wood",
]


def normalise_local_id(local_id: str) -> str:
    return "".join(local_id.split()).upper()


def local_id_hash(provider_code: str, local_id: str) -> str:
    """HMAC-SHA256 of the provider's code and the identifier, keyed by PSEUDONYMISATION_KEY.

    The provider code is part of the message so the same number at two trusts gives two
    different hashes: pseudonyms cannot be joined across providers.
    """
    message = f"{provider_code.upper()}:{normalise_local_id(local_id)}".encode()
    key = settings.PSEUDONYMISATION_KEY.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def alias_for(id_hash: str) -> str:
    number = int(id_hash[:8], 16)
    first = _FIRST[number % len(_FIRST)]
    second = _SECOND[(number // len(_FIRST)) % len(_SECOND)]
    return f"{first}{second} {id_hash[8:11].upper()}"
