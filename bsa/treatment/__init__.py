"""Treatment rules: what a marked area means against a label and the published scores.

The label rules and their limits (:mod:`.label_rules`), the amount of cream a marked area
takes (:mod:`.cream_amount`), a plan of zones by day against a label (:mod:`.plan`), the
area parts of EASI, PASI and VASI (:mod:`.skin_scores`),
and other published thresholds on %BSA (:mod:`.thresholds`). The numbers are data under
``charts/``.
"""
