"""The kinds of an interaction row, as the tests spell them."""

from __future__ import annotations

SPACING, AVOID, STATUS = "spacing", "avoid", "affects-magnesium-status"
