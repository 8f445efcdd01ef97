"""The evaluation API in the OpenAPI schema: documented responses, no warnings from evaluation/, and
stable enum names once the project's ENUM_NAME_OVERRIDES name evaluation's choice sets."""
import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.plumbing import _load_enum_name_overrides
from drf_spectacular.settings import patched_settings, spectacular_settings

pytestmark = pytest.mark.django_db

# What qujing_disclosure/settings SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] should hold for evaluation:
# fields named `state`, `kind`, `decision`, `rating` and `outcome` carry different choices in different apps.
EVALUATION_ENUM_NAME_OVERRIDES = {
    "AssignmentStateEnum": "evaluation.enums.AssignmentState",
    "ScorecardStateEnum": "evaluation.enums.ScorecardState",
    "ObjectionStateEnum": "evaluation.enums.ObjectionState",
    "SubsidyStateEnum": "evaluation.enums.SubsidyState",
    "CandidateKindEnum": "evaluation.enums.CandidateKind",
    "ReevaluationOutcomeEnum": "evaluation.enums.ReevaluationOutcome",
    "InspectionKindEnum": "evaluation.enums.InspectionKind",
    "InspectionRatingEnum": "evaluation.enums.InspectionRating",
    "DeliberationDecisionEnum": "evaluation.enums.DeliberationDecision",
}
EVALUATION_COMPONENTS = ["Assignment", "Scorecard", "Candidate", "ObjectionStaff", "ObjectionReceipt", "Inspection", "InspectionRequest",
                         "Subsidy", "RankingRow", "DeliberationInputRequest"]


def _schema(capsys):
    _load_enum_name_overrides.cache_clear()
    try:
        schema = SchemaGenerator().get_schema(request=None, public=True)
    finally:
        _load_enum_name_overrides.cache_clear()
    return schema, capsys.readouterr().err


def _enum_refs(schema, component):
    refs = []
    for prop in schema["components"]["schemas"][component]["properties"].values():
        for ref in [prop.get("$ref")] + [x.get("$ref") for x in prop.get("allOf", []) + prop.get("oneOf", [])]:
            if ref and ref.endswith("Enum"):
                refs.append(ref.rsplit("/", 1)[-1])
    return refs


def test_no_schema_warning_comes_from_the_evaluation_app(capsys):
    _unused, err = _schema(capsys)
    assert [line for line in err.splitlines() if "/evaluation/" in line] == []


def test_ranking_and_calibration_responses_are_documented(capsys):
    schema, _err = _schema(capsys)
    ranking = schema["paths"]["/api/v1/evaluation/rounds/{id}/ranking/"]["get"]["responses"]["200"]
    assert ranking["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Ranking"}
    row = schema["components"]["schemas"]["RankingRow"]["properties"]
    assert row["disclosure_record"]["allOf"] == [{"$ref": "#/components/schemas/DisclosureRecord"}]
    assert {"on_time_rate", "display_breaches", "rectifications_overdue", "satisfaction_rate"} <= set(
        schema["components"]["schemas"]["DisclosureRecord"]["properties"])
    calibration = schema["paths"]["/api/v1/evaluation/rounds/{id}/calibration/"]["get"]["responses"]["200"]
    assert calibration["content"]["application/json"]["schema"]["items"] == {"$ref": "#/components/schemas/Calibration"}
    objection = schema["paths"]["/api/v1/evaluation/objections/"]["post"]["responses"]["201"]
    assert objection["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ObjectionReceipt"}


def test_evaluation_enums_get_stable_names_with_the_overrides(capsys):
    overrides = {**spectacular_settings.ENUM_NAME_OVERRIDES, **EVALUATION_ENUM_NAME_OVERRIDES}
    with patched_settings({"ENUM_NAME_OVERRIDES": overrides}):
        schema, err = _schema(capsys)
    names = {ref for component in EVALUATION_COMPONENTS for ref in _enum_refs(schema, component)}
    assert names == set(EVALUATION_ENUM_NAME_OVERRIDES)
    assert not [name for name in names if re.search(r"[0-9a-f]{3}Enum$", name)]
    assert not [line for line in err.splitlines() if any(name in line for name in EVALUATION_ENUM_NAME_OVERRIDES)]
