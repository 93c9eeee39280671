"""The numeric core: body regions, body-surface charts, and the affected percentage.

Where a clinical number about the *surface* is computed: the 19 Lund-Browder regions and
their front and back halves (:mod:`.regions`), the charts read at any age (:mod:`.charts`),
the affected percentage of body surface for one patient or a cohort (:mod:`.estimation`),
the palm method as a cross-check (:mod:`.palm_method`) and whole-body surface area in m2
(:mod:`.body_surface`). Needs numpy only.
"""
