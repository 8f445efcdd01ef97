"""The disclosure portal (/portal/disclosure/): organisations keep their catalogue and items,
supervising offices review, inspect and follow up. Views are thin: each page names the permission it
needs (rules.py), reads start from the scoped selectors, writes go through disclosure.services.
Anything out of scope answers 404 (never 403).

- common.py       the page decorator, rendering, running a service from a form, the history timeline
- overview.py     home, the compliance board and its Excel report
- catalogue.py    catalogue entries, carriers, the exemption register
- items.py        items and every step of their procedure
- supervision.py  feedback, findings, rectification notices
"""
