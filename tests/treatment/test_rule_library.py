"""The label library (issue 12): every rule's numbers hand-typed, the schema, the model's
extensions (amounts per application, conditional limits, information-only limits, ages not
read, limits not read) and visits evaluated against a few rules.

The numbers below are typed from the research notes of issue 12
(``labels_part1/findings.md``, ``labels_part2/findings.md``), not copied from the data
file: a change to ``charts/label_rules.json`` makes these tests fail. "label" = an
official copy (DailyMed, openFDA api.fda.gov, eMC, EMA), "mirror" = a third party's copy
of the label text, "secondary" = a summary, leaflet or maker's page.
"""

import copy
import json
import math
from pathlib import Path

import pytest
from tolerance import TOL, printed

import bsa
import bsa.treatment.label_rules as lr
import bsa.treatment.rule_library as library
from bsa.cli import main
from bsa.errors import BSAInputError
from bsa.records.assessment import Assessment
from bsa.treatment.cream_amount import reached_at_percent
from bsa.treatment.label_rules import available_rules, find_rules, load_rule
from bsa.treatment.limits import VERDICTS

ROOT = Path(__file__).resolve().parents[2]
APP = "application"  # an amount per application instead of per period

# rule -> (jurisdiction, (min age, max age), applications per day, rule source_kind,
#          no_stated_limit, [(kind, value, period_days or APP, age_min, age_max, source_kind)])
LIBRARY = {
    # Opzelura: see tests/test_label_rules.py (PrescriberPoint copy of US PI 2.1; July 2022
    # label highlights on Scribd; EU SmPC 2023 4.2 on RxReasoner).
    "opzelura_us_atopic_dermatitis": ("US", (2, None), 2, "mirror", False, [
        ("percent_bsa", 20, None, 2, None, "mirror"),
        ("grams", 60, 7, 12, None, "mirror"),
        ("grams", 100, 14, 12, None, "mirror"),
        ("grams", 60, 14, 2, 12, "secondary")]),
    "opzelura_us_vitiligo": ("US", (12, None), 2, "mirror", False, [
        ("percent_bsa", 10, None, 12, None, "mirror"),
        ("grams", 60, 7, 12, None, "mirror"),
        ("grams", 100, 14, 12, None, "mirror")]),
    "opzelura_eu_vitiligo": ("EU", (12, None), 2, "mirror", False, [
        ("percent_bsa", 10, None, 12, None, "mirror"),
        ("grams", 200, 30, 12, None, "mirror")]),
    # Taclonex ointment: indication 12+ from an openFDA generic record (label); "max 30% BSA",
    # ">=18yrs: max 100g/wk", "12-17yrs: max 60g/wk", "up to 4 weeks" from the MPR monograph
    # (renalandurologynews.com) and Drugs.com: section 2 not seen, revision not seen.
    "taclonex_ointment_us_psoriasis": ("US", (12, None), 1, "secondary", False, [
        ("percent_bsa", 30, None, 12, None, "secondary"),
        ("grams", 100, 7, 18, None, "secondary"),
        ("grams", 60, 7, 12, 18, "secondary"),
        ("duration_days", 28, None, None, None, "secondary")]),
    # Taclonex topical suspension, RxList copy of sections 1-2 (page dated 2016, revision not
    # seen): "18 years and older ... not more than 100 g per week and patients 12 to 17 years
    # ... not more than 60 g per week", "once daily for up to 8 weeks"; scalp and body 18+,
    # scalp only 12-17 (two rules).
    "taclonex_suspension_us_scalp_and_body_psoriasis": ("US", (18, None), 1, "mirror", False, [
        ("grams", 100, 7, 18, None, "mirror"),
        ("duration_days", 56, None, None, None, "mirror")]),
    "taclonex_suspension_us_scalp_psoriasis": ("US", (12, 18), 1, "mirror", False, [
        ("grams", 60, 7, 12, 18, "mirror"),
        ("duration_days", 56, None, None, None, "mirror")]),
    # Enstilar foam, original adult-only US PI highlights (paperzz/120ty copies), section 2:
    # "Do not use more than 60 g every 4 days", "once daily for up to 4 weeks".
    "enstilar_us_psoriasis": ("US", (18, None), 1, "mirror", False, [
        ("grams", 60, 4, 18, None, "mirror"),
        ("duration_days", 28, None, None, None, "mirror")]),
    # Enstilar UK: SmPC 4.2 as quoted in LEO's abbreviated PI (dermaworld.ca) and UK HCP
    # page: "Total body surface area treated should not exceed 30%", "daily maximum dose ...
    # should not exceed 15 g", "Recommended treatment period is 4 weeks". Revision not seen.
    "enstilar_uk_psoriasis": ("UK", (18, None), 1, "secondary", False, [
        ("percent_bsa", 30, None, 18, None, "secondary"),
        ("grams", 15, 1, 18, None, "secondary"),
        ("duration_days", 28, None, None, None, "secondary")]),
    # Wynzora US: DailyMed highlights (updated 29 Nov 2023) and section 2 (fda.report):
    # "Do not use more than 100 g per week. (2)", "once daily for up to 8 weeks. (2)".
    "wynzora_us_psoriasis": ("US", (18, None), 1, "label", False, [
        ("grams", 100, 7, 18, None, "label"),
        ("duration_days", 56, None, None, None, "label")]),
    # Wynzora UK SmPC 4.2 (Medthority copy, 17 Mar 2022): "maximum daily dose should not
    # exceed 15 g", "should not exceed 30%", "up to 8 weeks".
    "wynzora_uk_psoriasis": ("UK", (18, None), 1, "mirror", False, [
        ("grams", 15, 1, 18, None, "mirror"),
        ("percent_bsa", 30, None, 18, None, "mirror"),
        ("duration_days", 56, None, None, None, "mirror")]),
    # Wynzora CH Fachinfo, Posologie (ch.oddb.org, reg. 68917): 15 g/jour, 30%, 8 semaines.
    "wynzora_ch_psoriasis": ("CH", (18, None), 1, "mirror", False, [
        ("grams", 15, 1, 18, None, "mirror"),
        ("percent_bsa", 30, None, 18, None, "mirror"),
        ("duration_days", 56, None, None, None, "mirror")]),
    # Dovonex ointment UK SmPC 4.2 (MHRA 2011, RxReasoner): weekly maxima 100 g (adults),
    # 75 g (over 12), 50 g (6 to 12); once or twice daily (2 used).
    "dovonex_ointment_uk_psoriasis": ("UK", (6, None), 2, "mirror", False, [
        ("grams", 100, 7, 18, None, "mirror"),
        ("grams", 75, 7, 12, 18, "mirror"),
        ("grams", 50, 7, 6, 12, "mirror")]),
    # Dovonex cream, HPRA SmPC 4.2 (myhealthbox): 100 g and 75 g; the 6-12 years 50 g read
    # in a forum reproduction of the UK cream SmPC (secondary).
    "dovonex_cream_ie_psoriasis": ("IE", (6, None), 2, "mirror", False, [
        ("grams", 100, 7, 18, None, "mirror"),
        ("grams", 75, 7, 12, 18, "mirror"),
        ("grams", 50, 7, 6, 12, "secondary")]),
    # Calcipotriene foam US PI sections 1-2 (Drugs.com copy): 4+, twice daily, no limit.
    "calcipotriene_foam_us_psoriasis": ("US", (4, None), 2, "mirror", True, []),
    # Vectical: Medscape summary, "2-6 years: Not to exceed 100 grams/week", ">=7 years: Not
    # to exceed 200 grams/week"; the SPL's section 2 was not readable.
    "vectical_us_psoriasis": ("US", (2, None), 2, "secondary", False, [
        ("grams", 100, 7, 2, 7, "secondary"),
        ("grams", 200, 7, 7, None, "secondary")]),
    # Silkis UK: eMC SmPC 4.4 "Not more than 35% of the body surface ... daily treatment",
    # "Not more than 30g of ointment should be used per day"; 4.2 MHRA 2017 (RxReasoner).
    "silkis_uk_psoriasis": ("UK", (0, None), 2, "label", False, [
        ("percent_bsa", 35, None, None, None, "label"),
        ("grams", 30, 1, None, None, "label")]),
    # Silkis CH Fachinfo, Dosierung (ch.oddb.org, reg. 52619): 100 g/Woche, 35%, 30 g/Tag.
    "silkis_ch_psoriasis": ("CH", (18, None), 2, "mirror", False, [
        ("grams", 100, 7, 18, None, "mirror"),
        ("percent_bsa", 35, None, 18, None, "mirror"),
        ("grams", 30, 1, 18, None, "mirror")]),
    # Clobetasol cream/ointment, old-format Fougera label D&A (druggenius copy of DailyMed):
    # "limited to 2 consecutive weeks, and amounts greater than 50 g per week should not be
    # used"; age 12 from a drugs.com answer (secondary).
    "clobetasol_cream_ointment_us_dermatoses": ("US", (12, None), 2, "mirror", False, [
        ("grams", 50, 7, None, None, "mirror"),
        ("duration_days", 14, None, None, None, "mirror")]),
    # Emollient cream: openFDA set 26ccb1d8 Highlights "should not exceed 50 grams per week.
    # (1.3)", 12+ (1.1); 2 weeks from the Temovate E D&A (drugs.com).
    "clobetasol_emollient_cream_us_dermatoses": ("US", (12, None), 2, "label", False, [
        ("grams", 50, 7, 12, None, "label"),
        ("duration_days", 14, None, 12, None, "mirror")]),
    # Emollient cream, psoriasis 16+ (openFDA 1.2); Temovate E D&A (drugs.com): 2 weeks, and
    # "applied to 5% to 10% of body surface area can be used for up to 4 weeks".
    "clobetasol_emollient_cream_us_psoriasis": ("US", (16, None), 2, "label", False, [
        ("grams", 50, 7, None, None, "label"),
        ("duration_days", 14, None, 16, None, "mirror"),
        ("duration_days", 28, None, 16, None, "mirror")]),
    # Lotion: current generic SPL section 1 (openFDA 93f3763f, 18+); older Clobex label on
    # RxList: "50 g (50 mL or 1.75 fl.oz.) per week", 2 consecutive weeks.
    "clobetasol_lotion_us_dermatoses": ("US", (18, None), 2, "label", False, [
        ("grams", 50, 7, None, None, "mirror"),
        ("duration_days", 14, None, None, None, "mirror")]),
    # Lotion, psoriasis (older Clobex label, RxList): 2 weeks, up to 2 more weeks for
    # localized lesions (less than 10% BSA), 50 g a week.
    "clobetasol_lotion_us_psoriasis": ("US", (18, None), 2, "mirror", False, [
        ("grams", 50, 7, None, None, "mirror"),
        ("duration_days", 14, None, None, None, "mirror"),
        ("duration_days", 28, None, None, None, "mirror")]),
    # Spray: DailyMed Taro SPL d8246614 Highlights "up to 20% body surface area (BSA) in
    # patients 18 years of age or older. (1.1)"; 50 g (59 ml)/week, 4 weeks, 26 sprays per
    # application, 52 a day only in a Bangladeshi product page and a DRUGDEX extract.
    "clobetasol_spray_us_psoriasis": ("US", (18, None), 2, "label", False, [
        ("percent_bsa", 20, None, 18, None, "label"),
        ("grams", 50, 7, None, None, "secondary"),
        ("duration_days", 28, None, None, None, "secondary"),
        ("units", 26, APP, None, None, "secondary"),
        ("units", 52, 1, None, None, "secondary")]),
    # Foam (Olux): openFDA db8c7a36 section 1 (12+); drugs.com Olux D&A: 2 weeks, 50 g/week,
    # "No more than one and a half capfuls of foam should be used at each application."
    "clobetasol_foam_us_psoriasis": ("US", (12, None), 2, "label", False, [
        ("grams", 50, 7, None, None, "mirror"),
        ("duration_days", 14, None, None, None, "mirror"),
        ("units", 1.5, APP, None, None, "mirror")]),
    # Emulsion foam (Olux-E): openFDA 6a3ad15e section 1 (12+); drugs.com: "should not
    # exceed 50 g or an amount greater than 21 capfuls per week", up to 2 weeks.
    "clobetasol_emulsion_foam_us_dermatoses": ("US", (12, None), 2, "label", False, [
        ("grams", 50, 7, None, None, "mirror"),
        ("units", 21, 7, None, None, "mirror"),
        ("duration_days", 14, None, None, None, "mirror")]),
    # Tazorac gel: openFDA 4e4e4b81 "plaque psoriasis of up to 20% body surface area
    # involvement. (1.1)"; 2.1 (drugs.com) "thin film (2 mg/cm2)". Ages not read.
    "tazorac_gel_us_psoriasis": ("US", (0, None), 1, "label", False, [
        ("percent_bsa", 20, None, None, None, "label")]),
    # Tazorac cream: openFDA section 1; RxList/drugs.com D&A: 2 mg/cm2, no area limit.
    "tazorac_cream_us_psoriasis": ("US", (0, None), 1, "label", True, []),
    "tazorac_cream_us_acne": ("US", (0, None), 1, "label", True, []),
    # Duobrii section 2 (PrescriberPoint): "should not exceed approximately 50 g per week";
    # adults only in secondary summaries.
    "duobrii_us_psoriasis": ("US", (18, None), 1, "mirror", False, [
        ("grams", 50, 7, None, None, "mirror")]),
    # Klisyri US, openFDA (the June 2024 revision per Drugs@FDA): "up to 100 cm 2 treatment
    # field on the face or balding scalp once daily for 5 consecutive days using 1 unit-dose
    # packet per application." The 2020 25 cm2 is superseded (a note, not a limit).
    "klisyri_us_actinic_keratosis": ("US", (0, None), 1, "label", False, [
        ("cm2", 100, None, None, None, "label"),
        ("duration_days", 5, None, None, None, "label"),
        ("units", 1, APP, None, None, "label")]),
    # Klisyri EU SmPC 4.2 (EMA 2021, RxReasoner): "treatment field of up to 25cm²", 5 days.
    "klisyri_eu_actinic_keratosis": ("EU", (18, None), 1, "mirror", False, [
        ("cm2", 25, None, 18, None, "mirror"),
        ("duration_days", 5, None, 18, None, "mirror")]),
    # Klisyri CH Fachinfo (ch.oddb.org): "bis zu 25 cm2", 5 Tage. Ages not read.
    "klisyri_ch_actinic_keratosis": ("CH", (0, None), 1, "mirror", False, [
        ("cm2", 25, None, None, None, "mirror"),
        ("duration_days", 5, None, None, None, "mirror")]),
    # EMLA UK: eMC patient leaflet (product 7994) section 3; the SmPC tables not read.
    # 0-2 months 1 g / 10 cm2 / 1 h / one dose in 24 h; 3-11 months 2 g / 20 cm2; 1-5 years
    # 10 g / 100 cm2; 6-11 years 20 g / 200 cm2; 1-11 years max 5 h; over 3 months max 2
    # doses in 24 h; atopic dermatitis 30 minutes.
    "emla_uk_skin_anaesthesia": ("UK", (0, None), 1, "secondary", False, [
        ("grams", 1, APP, 0, 0.25, "secondary"),
        ("cm2", 10, None, 0, 0.25, "secondary"),
        ("application_time_hours", 1, None, 0, 0.25, "secondary"),
        ("applications", 1, 1, 0, 0.25, "secondary"),
        ("grams", 2, APP, 0.25, 1, "secondary"),
        ("cm2", 20, None, 0.25, 1, "secondary"),
        ("grams", 10, APP, 1, 6, "secondary"),
        ("cm2", 100, None, 1, 6, "secondary"),
        ("application_time_hours", 5, None, 1, 12, "secondary"),
        ("grams", 20, APP, 6, 12, "secondary"),
        ("cm2", 200, None, 6, 12, "secondary"),
        ("applications", 2, 1, 0.25, 12, "secondary"),
        ("application_time_hours", 0.5, None, 0, 12, "secondary")]),
    # EMLA IE SmPC Sep 2017 (Scribd upload) 4.2 Table 1, newly shaven large areas: "Maximum
    # recommended dose: 60 g", "600 cm2 for a minimum of 1 hour, maximum 5 hours".
    "emla_ie_skin_anaesthesia": ("IE", (12, None), 1, "mirror", False, [
        ("grams", 60, APP, 12, None, "mirror"),
        ("cm2", 600, None, 12, None, "mirror"),
        ("application_time_hours", 5, None, 12, None, "mirror")]),
    # EMLA US (RxList/DrugLib): the paediatric maximum table was not read: no limits.
    "emla_us_dermal_analgesia": ("US", (0, None), 1, "mirror", False, []),
    # Anzupgo EU SmPC 4.2 (EMA 2024, RxReasoner) and UK SmPC (eMC, updated 23 Jan 2025): no
    # area or amount limit; hands and wrists; stop if no improvement after 12 weeks.
    "anzupgo_eu_hand_eczema": ("EU", (18, None), 2, "mirror", True, []),
    "anzupgo_uk_hand_eczema": ("UK", (18, None), 2, "label", True, []),
    # Anzupgo US highlights (drugs.com/pro, 13 Aug 2025): "Do not use more than 30 grams per
    # 2 weeks or 60 grams per month."
    "anzupgo_us_hand_eczema": ("US", (18, None), 2, "mirror", False, [
        ("grams", 30, 14, None, None, "mirror"),
        ("grams", 60, 30, None, None, "mirror")]),
    # Anzupgo CH: Swissmedic public summary "No more than one 60 g tube per month".
    "anzupgo_ch_hand_eczema": ("CH", (18, None), 2, "secondary", False, [
        ("grams", 60, 30, None, None, "secondary")]),
    # Vtama US PI 1-2 (PrescriberPoint; RMC 12/2024): once daily, no limit.
    "vtama_us_psoriasis": ("US", (18, None), 1, "mirror", True, []),
    "vtama_us_atopic_dermatitis": ("US", (2, None), 1, "mirror", True, []),
    # Zoryve cream SPL ec1bb0d1 sections 1-2 (hyperqbank): 6+, once daily, no limit.
    "zoryve_cream_0_3_us_psoriasis": ("US", (6, None), 1, "mirror", True, []),
    "zoryve_cream_0_15_us_atopic_dermatitis": ("US", (6, None), 1, "mirror", True, []),
    # Zoryve foam openFDA f9e0b4a9 section 1 (9+ seborrheic dermatitis, 12+ psoriasis);
    # section 2 not read in full: limits not read (not "no stated limit").
    "zoryve_foam_us_seborrheic_dermatitis": ("US", (9, None), 1, "label", False, []),
    "zoryve_foam_us_psoriasis": ("US", (12, None), 1, "label", False, []),
    # Protopic US (RxList/DrugLib, non-PLR) and EU (EMA 2018, RxReasoner): no limit.
    "protopic_us_atopic_dermatitis": ("US", (2, None), 2, "mirror", True, []),
    "protopic_eu_atopic_dermatitis": ("EU", (2, None), 2, "mirror", True, []),
    # Elidel US (maker's HCP site, secondary), UK (eMC 2 Mar 2022: 3 months and older), ES
    # (studylib SmPC copy: 2 years and older): no limit.
    "elidel_us_atopic_dermatitis": ("US", (2, None), 2, "secondary", True, []),
    "elidel_uk_atopic_dermatitis": ("UK", (0.25, None), 2, "label", True, []),
    "elidel_es_atopic_dermatitis": ("ES", (2, None), 2, "mirror", True, []),
    # Eucrisa: openFDA sections 1-2, 3 months and older, twice daily, no limit.
    "eucrisa_us_atopic_dermatitis": ("US", (0.25, None), 2, "label", True, []),
}
#: Rules whose ages could not be read in the label.
AGES_NOT_READ = {"tazorac_gel_us_psoriasis", "tazorac_cream_us_psoriasis",
                 "tazorac_cream_us_acne", "klisyri_us_actinic_keratosis",
                 "klisyri_ch_actinic_keratosis", "emla_us_dermal_analgesia"}
#: Rules whose ages were read somewhere else than the rule: the source kind of the ages.
AGES_READ_ELSEWHERE = {"taclonex_ointment_us_psoriasis": "label",
                       "clobetasol_cream_ointment_us_dermatoses": "secondary",
                       "duobrii_us_psoriasis": "secondary"}
CALCIPOTRIOL_COMBINED = ("enstilar_uk_psoriasis", "wynzora_uk_psoriasis", "wynzora_ch_psoriasis")


def _base_name(name: str) -> str:
    return name.split(" (")[0]


# --- every rule's numbers ---------------------------------------------------------------------

def test_the_table_covers_every_rule():
    assert set(LIBRARY) == set(available_rules())


@pytest.mark.parametrize("rule_id", sorted(LIBRARY))
def test_rule_numbers(rule_id):
    jurisdiction, (lo, hi), per_day, kind, no_limit, limits = LIBRARY[rule_id]
    rule = load_rule(rule_id)
    assert (rule.jurisdiction, rule.min_age_years, rule.max_age_years) == (jurisdiction, lo, hi)
    assert (rule.frequency_per_day, rule.source_kind, rule.no_stated_limit) == (
        per_day, kind, no_limit)
    got = [(lim.kind, lim.value, APP if lim.per == "application" else lim.period_days,
            lim.age_min_years, lim.age_max_years, lim.source_kind) for lim in rule.limits]
    assert got == limits
    assert rule.ages_read is (rule_id not in AGES_NOT_READ)
    assert rule.population_source_kind == AGES_READ_ELSEWHERE.get(rule_id, kind)
    assert rule.source and rule.section and rule.label_revision_text and rule.label_revision
    for lim in rule.limits:
        assert lim.words and lim.section


@pytest.mark.parametrize("rule_id", sorted(set(LIBRARY) - {
    "opzelura_us_atopic_dermatitis", "opzelura_us_vitiligo", "opzelura_eu_vitiligo"}))
def test_questions_and_what_could_not_be_read(rule_id):
    rule = load_rule(rule_id)
    assert 2 <= len(rule.questions) <= 5
    for q in rule.questions:
        assert q.endswith(("?", ".")) and "safe" not in q.lower()
    if rule.source_kind != "label" or not rule.ages_read or not rule.has_evaluated_limits:
        assert rule.could_not_read  # what was not read in an official copy is said


def test_densities_and_revisions():
    # Tazorac gel 2.1 and cream D&A: "thin film (2 mg/cm2)", read in drugs.com/RxList copies.
    for rule_id in ("tazorac_gel_us_psoriasis", "tazorac_cream_us_psoriasis",
                    "tazorac_cream_us_acne"):
        d = load_rule(rule_id).density
        assert (d.mg_per_cm2, d.source_kind) == (2, "mirror")
    assert sum(load_rule(r).density is not None for r in LIBRARY) == 3
    # Printed or dated revisions: eMC "Updated 23-Jan-2025", "Updated 02-Mar-2022";
    # RxReasoner "Revision Year"; Vtama Recent Major Changes 12/2024; Irish SmPC Sep 2017.
    revisions = {"anzupgo_uk_hand_eczema": "2025-01-23", "elidel_uk_atopic_dermatitis":
                 "2022-03-02", "klisyri_eu_actinic_keratosis": "2021", "silkis_uk_psoriasis":
                 "2017", "dovonex_ointment_uk_psoriasis": "2011", "vtama_us_psoriasis":
                 "2024-12", "emla_ie_skin_anaesthesia": "2017-09",
                 "protopic_eu_atopic_dermatitis": "2018", "anzupgo_eu_hand_eczema": "2024"}
    for rule_id, revision in revisions.items():
        assert load_rule(rule_id).label_revision == revision
    assert load_rule("wynzora_us_psoriasis").label_revision == "not printed in the copy read"


def test_review_points():
    # days: 8 weeks = 56, 12 weeks = 84, 6 weeks = 42, 2 weeks = 14
    expected = {"klisyri_eu_actinic_keratosis": [56], "klisyri_ch_actinic_keratosis": [56],
                "anzupgo_eu_hand_eczema": [84], "anzupgo_uk_hand_eczema": [84],
                "protopic_us_atopic_dermatitis": [42], "protopic_eu_atopic_dermatitis": [14],
                "elidel_us_atopic_dermatitis": [42], "elidel_uk_atopic_dermatitis": [42],
                "silkis_uk_psoriasis": [42], "silkis_ch_psoriasis": [42],
                "clobetasol_cream_ointment_us_dermatoses": [14],
                "clobetasol_lotion_us_psoriasis": [14]}
    for rule_id, days in expected.items():
        assert [p.after_days for p in load_rule(rule_id).review_points] == days
    # Silkis UK: the 6-week statement was read in the MHRA text on RxReasoner, not the eMC.
    assert load_rule("silkis_uk_psoriasis").review_points[0].source_kind == "mirror"
    assert load_rule("elidel_us_atopic_dermatitis").review_points[0].source_kind == "secondary"


def test_klisyri_superseded_field_is_a_note_not_a_limit():
    us = load_rule("klisyri_us_actinic_keratosis")
    assert [lim.value for lim in us.limits if lim.kind == "cm2"] == [100]
    assert any("Superseded" in n and "25 cm\u00b2" in n for n in us.notes)
    assert "klisyri_us_actinic_keratosis_2020" not in available_rules()
    assert [lim.value for lim in load_rule("klisyri_eu_actinic_keratosis").limits
            if lim.kind == "cm2"] == [25]


def test_calcipotriol_limits_cover_all_calcipotriol_products():
    for rule_id in CALCIPOTRIOL_COMBINED:
        rule = load_rule(rule_id)
        for lim in rule.limits:
            if lim.kind in ("grams", "percent_bsa"):
                assert any("all calcipotriol" in n for n in lim.notes)
        assert "other calcipotriol product" in rule.questions[0]


def test_later_revisions_are_said():
    assert "12 and older" in load_rule("enstilar_us_psoriasis").later_revisions_not_transcribed[0]
    for rule_id in ("zoryve_cream_0_3_us_psoriasis", "zoryve_cream_0_15_us_atopic_dermatitis"):
        assert "6/2026" in load_rule(rule_id).later_revisions_not_transcribed[0]


# --- the body-map sites ---------------------------------------------------------------------------

def test_sites_map_onto_the_body_map_with_notes():
    # Face -> front of the head; groin -> genitalia; axillae and skin folds: no region.
    rule = load_rule("duobrii_us_psoriasis")
    assert rule.avoid_parts == ("head:front", "genitalia:front")
    assert any("armpits (axillae) have no region" in n for n in rule.notes)
    for rule_id in ("taclonex_ointment_us_psoriasis", "wynzora_us_psoriasis",
                    "clobetasol_emollient_cream_us_dermatoses", "clobetasol_spray_us_psoriasis"):
        assert load_rule(rule_id).avoid_parts == ("head:front", "genitalia:front")
    # Products for the scalp: the face shares the head region, so it is asked, not mapped.
    for rule_id in ("taclonex_suspension_us_scalp_and_body_psoriasis", "wynzora_uk_psoriasis",
                    "calcipotriene_foam_us_psoriasis", "clobetasol_foam_us_psoriasis"):
        rule = load_rule(rule_id)
        assert "head:front" not in rule.avoid_parts
        assert any("scalp" in n and "face" in n for n in rule.notes)
    assert load_rule("klisyri_us_actinic_keratosis").only_parts == ("head:front", "head:back")
    assert load_rule("taclonex_suspension_us_scalp_psoriasis").only_parts == (
        "head:front", "head:back")
    anzupgo = load_rule("anzupgo_eu_hand_eczema")
    assert anzupgo.only_parts == ("right_hand:front", "right_hand:back", "left_hand:front",
                                  "left_hand:back")
    assert any("wrists are not a separate region" in n for n in anzupgo.notes)


# --- the model's extensions -------------------------------------------------------------------------

def test_conditional_limit_on_the_treated_area():
    # Clobex lotion: up to 2 additional weeks only for localized lesions (less than 10% BSA).
    (extra,) = [lim for lim in load_rule("clobetasol_lotion_us_psoriasis").limits
                if lim.value == 28]
    assert extra.applies_when_percent_bsa_below == 10 and "localized lesions" in extra.applies_when
    assert extra.applies_at_percent(9.99) and not extra.applies_at_percent(10.0)
    # Temovate E: "5% to 10%" includes 10%: the condition is in words only.
    (course,) = [lim for lim in load_rule("clobetasol_emollient_cream_us_psoriasis").limits
                 if lim.value == 28]
    assert course.applies_when_percent_bsa_below is None and "5% to 10%" in course.applies_when


@pytest.mark.parametrize("share, state", [(5 / 13, "information"), (10 / 13, "not_applicable"),
                                          (1.0, "not_applicable")])
def test_conditional_limit_in_an_evaluation(share, state):
    ev = bsa.evaluate(Assessment(age_years=30, rule_id="clobetasol_lotion_us_psoriasis",
                                 shares={"anterior_trunk": share}))
    (extra,) = [s for s in ev.rule_check.limits if s.limit.value == 28]
    assert extra.state == state
    if state == "not_applicable":
        assert extra.text.startswith("Does not apply here")
    else:
        assert "only for localized lesions" in extra.text


def test_amount_per_application():
    # EMLA UK, 1 to 5 years: up to 10 g per application. The cap is compared with one
    # application's grams and reached at 10 g / (grams per 1%) of body surface.
    rule = load_rule("emla_uk_skin_anaesthesia")
    (cap,) = rule.limits_for(3, kind="grams")
    assert (cap.per, cap.period_days, cap.summary) == ("application", None, "10 g per application")
    assert reached_at_percent(cap, 1, 0.25) == pytest.approx(40.0, abs=TOL)
    assert reached_at_percent(cap, 2, 0.25) == pytest.approx(40.0, abs=TOL)  # not per day
    ev = bsa.evaluate(Assessment(age_years=3, rule_id="emla_uk_skin_anaesthesia",
                                 shares={"anterior_trunk": 1.0}))
    (grams,) = [s for s in ev.rule_check.limits if s.limit.kind == "grams"]
    assert grams.used == pytest.approx(ev.amount.grams_per_application, abs=TOL)
    assert "per application" in grams.text


def test_information_only_limits_are_shown_not_compared():
    ev = bsa.evaluate(Assessment(age_years=40, rule_id="clobetasol_spray_us_psoriasis",
                                 shares={"anterior_trunk": 0.5}))
    info = [s for s in ev.rule_check.limits if s.limit.kind == "units"]
    assert [s.limit.summary for s in info] == ["26 sprays per application", "52 sprays per day"]
    assert all(s.state == "information" and s.used is None for s in info)
    assert all("not compared here [secondary source, not the label]." in s.text for s in info)


def test_limits_not_read_is_neither_within_nor_no_stated_limit():
    for rule_id, age in (("emla_us_dermal_analgesia", 30), ("zoryve_foam_us_psoriasis", 30),
                         ("emla_uk_skin_anaesthesia", 30)):
        ev = bsa.evaluate(Assessment(age_years=age, rule_id=rule_id, shares={"head": 0.2}))
        assert ev.verdict == "limits_not_read"
        assert "within" not in ev.headline.lower() and "states no" not in ev.headline
        assert "could not be read" in ev.headline
        assert any(c.startswith("Could not be read:") for c in ev.cautions)
    # The cohort check says the same.
    c = lr.check(5.0, 30, "emla_us_dermal_analgesia")
    assert c.area_state == "no_stated_limit" and "could be read" in c.headline


def test_ages_not_read_are_not_compared():
    ev = bsa.evaluate(Assessment(age_years=8, rule_id="tazorac_gel_us_psoriasis",
                                 shares={"head": 0.5}))
    assert ev.verdict != "outside_ages"
    assert ev.rule_check.age_message.startswith("The label's ages could not be read")
    assert load_rule("tazorac_gel_us_psoriasis").age_range_text == "ages not read in the label"


def test_ages_read_in_a_secondary_source_are_marked():
    ev = bsa.evaluate(Assessment(age_years=30, rule_id="clobetasol_cream_ointment_us_dermatoses",
                                 shares={"head": 0.5}))
    assert any("secondary source" in c and "the ages (12 years and older)" in c
               for c in ev.cautions)


# --- visits -------------------------------------------------------------------------------------

def test_taclonex_ointment_above_thirty_percent():
    # Adult Lund-Browder: trunk 13 + 13, one thigh 9.5 (9 of it marked): 35%. Once daily,
    # rule of hand: 35 x 0.25 x 7 = 61.25 g a week, below 100 g; the 30% area is exceeded.
    ev = bsa.evaluate(Assessment(age_years=30, rule_id="taclonex_ointment_us_psoriasis",
                                 shares={"anterior_trunk": 1, "posterior_trunk": 1,
                                         "right_thigh": 9 / 9.5}))
    assert ev.percent_bsa == pytest.approx(35.0, abs=TOL)
    assert ev.verdict == "above"
    assert ev.headline == "Above the label's 30% area limit: discuss with your doctor"
    (weekly,) = [s for s in ev.rule_check.limits if s.limit.kind == "grams"]
    assert (weekly.used, weekly.state) == (pytest.approx(61.25, abs=TOL), "within")


@pytest.mark.parametrize("percent, grams, verdict, headline", [
    (10, 35.0, "within", "Within the label's limits"),
    (16, 56.0, "above",
     "The estimated amount is above the cap of 50 g per week: discuss with your doctor"),
])
def test_clobetasol_weekly_amount(percent, grams, verdict, headline):
    # 10% x 0.25 g x 2 a day x 7 days = 35 g (70% of 50 g); 16% -> 56 g (112%).
    # Adult Lund-Browder: the front of the trunk is 13%, the back 13%.
    shares = {"anterior_trunk": min(percent, 13) / 13, "posterior_trunk": (percent - 13) / 13}
    ev = bsa.evaluate(Assessment(age_years=30, rule_id="clobetasol_cream_ointment_us_dermatoses",
                                 shares={k: v for k, v in shares.items() if v > 0}))
    assert ev.percent_bsa == pytest.approx(percent, abs=TOL)
    (weekly,) = [s for s in ev.rule_check.limits if s.limit.kind == "grams"]
    assert weekly.used == pytest.approx(grams, abs=TOL)
    assert (ev.verdict, ev.headline) == (verdict, headline)


def test_klisyri_needs_height_and_weight_then_compares_square_centimetres():
    # Adult head 7% (3.5 a half): 0.5 / 3.5 of the face is 0.5%. Mosteller 170 cm, 70 kg:
    # sqrt(170 x 70 / 3600) = 1.818 m2; 0.5% of it is 90.9 cm2, 91% of 100 cm2: near.
    shares = {"head:front": 0.5 / 3.5}
    ev = bsa.evaluate(Assessment(age_years=70, rule_id="klisyri_us_actinic_keratosis",
                                 shares=shares))
    assert ev.verdict == "needs_height_weight"
    assert "give height and weight" in ev.headline
    ev = bsa.evaluate(Assessment(age_years=70, rule_id="klisyri_us_actinic_keratosis",
                                 shares=shares, height_cm=170, weight_kg=70))
    (size,) = [s for s in ev.rule_check.limits if s.limit.kind == "cm2"]
    assert size.used == pytest.approx(0.005 * math.sqrt(170 * 70 / 3600) * 10_000, abs=TOL)
    assert size.used == pytest.approx(90.9, abs=printed(1))
    assert (ev.verdict, ev.headline) == ("near", "The treated area is close to the 100 cm\u00b2 limit")
    off = bsa.evaluate(Assessment(age_years=70, rule_id="klisyri_us_actinic_keratosis",
                                  shares={"right_hand": 0.2}, height_cm=170, weight_kg=70))
    assert off.verdict == "not_for_site"


def test_anzupgo_on_the_trunk_is_not_for_this_site():
    ev = bsa.evaluate(Assessment(age_years=40, rule_id="anzupgo_eu_hand_eczema",
                                 shares={"anterior_trunk": 0.1}))
    assert ev.verdict == "not_for_site"
    assert ev.headline.startswith("Marked where the label does not allow this product (Anterior")
    hands = bsa.evaluate(Assessment(age_years=40, rule_id="anzupgo_eu_hand_eczema",
                                    shares={"right_hand": 1, "left_hand": 1}))
    assert hands.verdict == "no_stated_limit"


def test_vtama_states_no_limit_and_is_never_within():
    for share in (0.01, 0.5, 1.0):
        ev = bsa.evaluate(Assessment(age_years=40, rule_id="vtama_us_psoriasis",
                                     shares={"anterior_trunk": share, "posterior_trunk": share}))
        assert ev.verdict == "no_stated_limit"
        assert "within" not in ev.headline.lower()
        assert ev.headline.startswith("The label states no area or amount limit")


def test_emla_child_of_three_against_the_square_centimetre_limit():
    # Lund-Browder at 3: one hand 2.5% (1.25 a half); half of the back of the right hand is
    # 0.625%. Mosteller 95 cm, 14 kg: sqrt(95 x 14 / 3600) = 0.6078 m2 -> 38.0 cm2 of the
    # leaflet's 100 cm2 for 1 to 5 years.
    shares = {"right_hand:back": 0.5}
    ev = bsa.evaluate(Assessment(age_years=3, rule_id="emla_uk_skin_anaesthesia", shares=shares))
    assert ev.verdict == "needs_height_weight"
    ev = bsa.evaluate(Assessment(age_years=3, rule_id="emla_uk_skin_anaesthesia", shares=shares,
                                 height_cm=95, weight_kg=14))
    assert ev.percent_bsa == pytest.approx(0.625, abs=TOL)
    (size,) = [s for s in ev.rule_check.limits if s.limit.kind == "cm2"]
    assert size.limit.value == 100 and size.used == pytest.approx(38.0, abs=printed(1))
    assert ev.verdict == "within"
    # Marking 2.5% of a 3-year-old (152 cm2) is above the 100 cm2 limit.
    big = bsa.evaluate(Assessment(age_years=3, rule_id="emla_uk_skin_anaesthesia",
                                  shares={"right_hand": 1.0}, height_cm=95, weight_kg=14))
    assert big.verdict == "above" and "100 cm\u00b2" in big.headline


@pytest.mark.parametrize("rule_id, age, ages_text", [
    ("wynzora_us_psoriasis", 10, "18 years and older"),
    ("taclonex_suspension_us_scalp_psoriasis", 18, "12 years to under 18 years"),
    ("eucrisa_us_atopic_dermatitis", 0.2, "3 months and older"),
    ("dovonex_ointment_uk_psoriasis", 5, "6 years and older"),
])
def test_an_age_outside_the_population(rule_id, age, ages_text):
    ev = bsa.evaluate(Assessment(age_years=age, rule_id=rule_id, shares={"head": 0.5}))
    assert ev.verdict == "outside_ages"
    assert ev.headline.startswith(f"Outside the label's age range ({ages_text})")


@pytest.mark.parametrize("rule_id", sorted(LIBRARY))
def test_every_rule_evaluates(rule_id):
    for age in (0.1, 4, 15, 45):
        for shares in ({}, {"head": 0.3}, {"right_hand": 1.0}, {"anterior_trunk": 1.0,
                                                                "posterior_trunk": 1.0}):
            for hw in ({}, {"height_cm": 170, "weight_kg": 70}):
                ev = bsa.evaluate(Assessment(age_years=age, rule_id=rule_id, shares=shares, **hw))
                assert ev.verdict in VERDICTS
                if ev.verdict in ("no_stated_limit", "limits_not_read", "nothing_marked"):
                    assert "within" not in ev.headline.lower()
                assert "safe" not in ev.headline.lower()
                json.dumps(ev.to_dict(), allow_nan=False)


# --- the command line ---------------------------------------------------------------------------

def test_cli_lists_the_library(capsys):
    assert main(["rules", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) >= 20
    names = {_base_name(i["name"]) for r in data for i in r["active_ingredients"]}
    assert len(names) >= 12
    assert {"calcipotriene", "calcipotriol", "calcitriol", "clobetasol propionate",
            "tazarotene", "halobetasol propionate", "tirbanibulin", "lidocaine", "prilocaine",
            "delgocitinib", "tapinarof", "roflumilast", "tacrolimus", "pimecrolimus",
            "crisaborole", "ruxolitinib"} <= names
    for r in data:
        for lim in r["limits"]:
            assert {"per", "unit", "applies_when", "applies_when_percent_bsa_below",
                    "condition", "evaluated", "source_url"} <= set(lim)
        assert {"ages_read", "population_source_kind"} <= set(r)


def test_cli_finds_clobetasol(capsys):
    assert main(["rules", "--json", "--product", "clobetasol"]) == 0
    ids = {r["id"] for r in json.loads(capsys.readouterr().out)}
    assert ids == {r.id for r in find_rules("clobetasol")}
    assert ids == {"clobetasol_cream_ointment_us_dermatoses",
                   "clobetasol_emollient_cream_us_dermatoses",
                   "clobetasol_emollient_cream_us_psoriasis", "clobetasol_lotion_us_dermatoses",
                   "clobetasol_lotion_us_psoriasis", "clobetasol_spray_us_psoriasis",
                   "clobetasol_foam_us_psoriasis", "clobetasol_emulsion_foam_us_dermatoses"}
    assert main(["rules", "--product", "clobetasol lotion psoriasis"]) == 0
    out = capsys.readouterr().out
    assert "only for localized lesions" in out and "treated area below 10%" in out


def test_cli_text_marks_ages_and_unread_limits(capsys):
    assert main(["rules", "--product", "clobetasol cream ointment"]) == 0
    assert "ages 12 years and older [read in a secondary source" in capsys.readouterr().out
    assert main(["rules", "--product", "emla us"]) == 0
    assert "No area or amount limit of the label could be read" in capsys.readouterr().out


# --- the schema and the package ------------------------------------------------------------------

SCHEMA_PATH = ROOT / "charts" / "schemas" / "label_rules.schema.json"


def _validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_schema_knows_every_limit_kind():
    # The file follows its schema, and every field is described: tests/test_data.py.
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert set(schema["$defs"]["limit"]["properties"]["kind"]["enum"]) == set(lr.LIMIT_KINDS)


@pytest.mark.parametrize("change, where", [
    (lambda lim: lim.update(kind="grams", per="application"), "grams with a period and per"),
    (lambda lim: lim.update(kind="percent_bsa", per="application"), "per on an area limit"),
    (lambda lim: lim.update(kind="units"), "units without a unit"),
    (lambda lim: lim.update(applies_when_percent_bsa_below=10), "a condition without words"),
    (lambda lim: lim.update(kind="applications", period_days=None), "no period"),
    (lambda lim: lim.update(typo=1), "an unknown field"),
])
def test_schema_and_loader_both_refuse_a_bad_limit(monkeypatch, change, where):
    doc = copy.deepcopy(library.load_data(library.RULES_FILE, library.SCHEMA_VERSION))
    rule = next(r for r in doc["rules"] if r["id"] == "wynzora_us_psoriasis")
    lim = rule["limits"][0]  # grams, 100 per 7 days
    change(lim)
    if lim.get("period_days", 0) is None:
        del lim["period_days"]
    assert list(_validator().iter_errors(doc)), where
    monkeypatch.setattr(library, "load_data", lambda name, version: doc)
    library._load_rule.cache_clear()
    try:
        if where == "an unknown field":
            load_rule("wynzora_us_psoriasis")  # the loader ignores it; the schema does not
        else:
            with pytest.raises(BSAInputError, match="wynzora_us_psoriasis"):
                load_rule("wynzora_us_psoriasis")
    finally:
        library._load_rule.cache_clear()


def test_the_loader_refuses_ages_that_were_not_read_with_numbers(monkeypatch):
    doc = copy.deepcopy(library.load_data(library.RULES_FILE, library.SCHEMA_VERSION))
    rule = next(r for r in doc["rules"] if r["id"] == "tazorac_gel_us_psoriasis")
    rule["population"]["min_age_years"] = 12
    assert list(_validator().iter_errors(doc))
    monkeypatch.setattr(library, "load_data", lambda name, version: doc)
    library._load_rule.cache_clear()
    try:
        with pytest.raises(BSAInputError, match="ages were not read"):
            load_rule("tazorac_gel_us_psoriasis")
    finally:
        library._load_rule.cache_clear()


def test_the_readme_lists_every_rule():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Label rules", 1)[1].split("\n## ", 1)[0]
    for rule_id in available_rules():
        assert f"| `{rule_id}` |" in table
    assert "charts/schemas/label_rules.schema.json" in table


def test_the_map_words_for_once_daily_and_unread_limits():
    from datetime import date

    from bsa.report.content import map_content

    ev = bsa.evaluate(Assessment(age_years=40, rule_id="vtama_us_psoriasis",
                                 shares={"anterior_trunk": 0.5}))
    mc = map_content(ev, date(2026, 1, 1))
    assert "once a day" in mc.amount[0].text and mc.verdict_words == "No stated limit"
    ev = bsa.evaluate(Assessment(age_years=40, rule_id="emla_us_dermal_analgesia",
                                 shares={"right_hand": 0.2}))
    mc = map_content(ev, date(2026, 1, 1))
    assert mc.verdict_words == "Limits not read"
    assert "No amount cap of the label could be read" in mc.text()
    assert "states no" not in mc.text()
