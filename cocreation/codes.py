"""Short codes for meeting links (/m/<code>/) and input receipts.

Django's `get_random_string` draws from the `secrets` module, so codes cannot be
guessed from earlier ones; that is all a short code needs, and it saves a dependency
(shortuuid, hashids) for one line. The alphabet leaves out characters that are misread
when a code is copied from a poster or read aloud (0/o, 1/l/i), and is lower case so a
code typed on a phone needs no shift key.
"""

from __future__ import annotations

from django.utils.crypto import get_random_string

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
MEETING_CODE_LENGTH = 6
INPUT_CODE_LENGTH = 8


def new_code(length: int) -> str:
    # 31**6 is about 890 million meeting codes and 31**8 about 850 billion input codes:
    # collisions are rare, and the unique constraint plus a retry catches the rest.
    return get_random_string(length, ALPHABET)
