"""The API schema (drf-spectacular): nothing in disclosure makes `spectacular --validate --fail-on-warn` warn."""
from collections import defaultdict

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.plumbing import _load_enum_name_overrides
from drf_spectacular.settings import spectacular_settings
from rest_framework import serializers

from disclosure.enums import OPENAPI_ENUM_NAMES


def _generate(enum_names=None):
    """The schema and every warning/error message raised while generating it."""
    GENERATOR_STATS.reset()
    if enum_names is not None:
        spectacular_settings.apply_patches({"ENUM_NAME_OVERRIDES": {**spectacular_settings.ENUM_NAME_OVERRIDES,
                                                                   **enum_names}})
    _load_enum_name_overrides.cache_clear()
    try:
        with GENERATOR_STATS.silence():
            schema = SchemaGenerator().get_schema(request=None, public=True)
        messages = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    finally:
        spectacular_settings.clear_patches()
        _load_enum_name_overrides.cache_clear()
        GENERATOR_STATS.reset()
    return schema, messages


@pytest.fixture(scope="module")
def generated(django_db_blocker):
    with django_db_blocker.unblock():
        return _generate()


def test_no_schema_warning_or_error_comes_from_disclosure(generated):
    _schema, messages = generated
    assert [m for m in messages if "disclosure" in m.lower() or "Compliance" in m or "Feedback" in m] == []


def test_compliance_endpoint_documents_its_answer(generated):
    schema, _messages = generated
    operation = schema["paths"]["/api/v1/disclosure/compliance/"]["get"]
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"type": "array", "items": {"$ref": "#/components/schemas/OrganizationCompliance"}}
    assert {p["name"]: p["schema"]["type"] for p in operation["parameters"]} == {"jurisdiction": "integer",
                                                                                  "year": "integer"}
    record = schema["components"]["schemas"]["InspectionRecord"]["properties"]
    assert record["on_time_rate"] == {"type": "number", "format": "double", "nullable": True}


def test_feedback_deadline_fields_are_typed(generated):
    schema, _messages = generated
    fields = schema["components"]["schemas"]["DisclosureFeedback"]["properties"]
    assert (fields["deadline"]["type"], fields["deadline"]["format"]) == ("string", "date")
    assert fields["deadline_explanation"]["type"] == "string"
    assert fields["overdue"]["type"] == "boolean"
    assert all(fields[name]["nullable"] for name in ("deadline", "deadline_explanation", "overdue"))


def test_receipt_code_path_parameter_is_typed(generated):
    schema, _messages = generated
    (code,) = schema["paths"]["/api/v1/disclosure/public/feedback/{code}/"]["get"]["parameters"]
    assert (code["name"], code["in"], code["schema"]["type"]) == ("code", "path", "string")


def _all_serializers(cls=serializers.BaseSerializer):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_serializers(sub)


def test_disclosure_component_names_are_not_used_by_another_app(generated):
    import disclosure.serializers  # noqa: F401  (loaded with the URLconf; imported for clarity)

    by_name = defaultdict(set)
    for cls in _all_serializers():
        if cls.__module__.startswith(("rest_framework", "drf_spectacular")):
            continue
        name = cls.__name__.removesuffix("Serializer")
        by_name[name].add(cls.__module__.split(".")[0])
    mine = {name for name, apps in by_name.items() if "disclosure" in apps}
    assert {name: sorted(by_name[name]) for name in mine if len(by_name[name]) > 1} == {}
    schema, _messages = generated
    assert "PublicDisclosureEntry" in schema["components"]["schemas"]
    assert "PublicEntry" not in schema["components"]["schemas"]


def test_suggested_enum_names_resolve_the_disclosure_enum_collisions(db):
    schema, _messages = _generate(OPENAPI_ENUM_NAMES)
    components = schema["components"]["schemas"]

    def enum_of(component, field):
        prop = components[component]["properties"][field]
        ref = prop.get("$ref") or prop["allOf"][0]["$ref"]
        return ref.rsplit("/", 1)[1]

    assert [enum_of(c, f) for c, f in [
        ("DisclosureFeedback", "state"), ("PublicDisclosureFeedback", "state"), ("DisclosureCarrier", "kind"),
        ("DisclosureFinding", "kind"), ("DisclosureItemInspectRequest", "finding_kind"),
        ("PublicationEvidence", "kind"), ("DisclosureItem", "inspection_result"),
        ("DisclosureItemInspectRequest", "result"),
    ]] == ["FeedbackStateEnum", "FeedbackStateEnum", "CarrierKindEnum", "FindingKindEnum", "FindingKindEnum",
           "EvidenceKindEnum", "InspectionResultEnum", "InspectionResultEnum"]
