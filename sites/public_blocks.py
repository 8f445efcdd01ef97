"""Moved to `sites.wiring` (issue 7). Kept only while evaluation still imports its registries from here;
delete once `evaluation` imports `register_home_block`, `register_site_detail_block` and
`register_public_action` from `sites.wiring`."""
from .wiring import register_home_block, register_public_action, register_site_detail_block  # noqa: F401
