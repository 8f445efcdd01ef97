"""Receipt codes the public keeps to read an answer later (objections, feedback).

One alphabet without look-alike characters (no 0/O, 1/I/L), drawn with `secrets`, and one way to
create a row that carries a unique code: draw, insert inside a savepoint, draw again on a collision.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .errors import DomainError

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ATTEMPTS = 8

T = TypeVar("T")


def receipt_code_new(length: int = 12) -> str:
    """A fresh random code of `length` characters from ALPHABET (about 5 bits each)."""
    return "".join(secrets.choice(ALPHABET) for _i in range(length))


def create_with_receipt_code(create: Callable[[str], T], *, length: int = 12, field: str = "content") -> T:
    """Call `create(code)` with fresh codes until one is not taken (a unique constraint decides).

    Each attempt runs in its own savepoint, so a collision rolls back only that insert. After
    ATTEMPTS collisions in a row (practically impossible with 12 characters) the caller gets a
    DomainError asking to try again, never a crash."""
    for _attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                return create(receipt_code_new(length))
        except IntegrityError:
            continue
    raise DomainError(_("系统繁忙，请稍后再试。"), field=field, code="receipt_code_exhausted")
