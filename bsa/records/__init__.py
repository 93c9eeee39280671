"""Records: what a visit is, how it is saved, and the history of visits.

The assessment (the inputs of one visit), its layers of marks (:mod:`.layers`: affected
skin, the area to treat, where not to apply, zones by day), the session file format
(:mod:`.session`), and the local visit history (:mod:`.history`). Records store inputs;
every number is recomputed from them by :func:`bsa.evaluate`.
"""
