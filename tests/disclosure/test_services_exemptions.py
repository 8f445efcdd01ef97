"""services.exemptions: the register of information held back (R11)."""
import pytest

from disclosure import services
from disclosure.enums import ExemptionState
from qujing_disclosure.core.errors import DomainError
from tests.disclosure.helpers import D, at


@pytest.mark.django_db
def test_r11_exemption_requires_reason_basis_approver(org_user, org):
    with pytest.raises(DomainError) as exc:
        services.exemption_create(actor=org_user, organization_id=org.pk, title="某事项", reason="", basis="条例",
                                  approver="李书记", approved_on=D(2026, 1, 1), review_by=D(2026, 6, 1))
    assert (exc.value.rule, exc.value.field, exc.value.code) == ("R11", "reason", "reason_required")
    assert str(exc.value) == "暂不宜公开备案须写明理由、依据和批准人（R11）。"
    exemption = services.exemption_create(actor=org_user, organization_id=org.pk, title="某事项", reason="涉密",
                                          basis="条例", approver="李书记", approved_on=D(2026, 1, 1),
                                          review_by=D(2026, 6, 1))
    with at(D(2026, 5, 20)):
        exemption = services.exemption_review(actor=org_user, exemption_id=exemption.pk, decision="release",
                                              note="已可公开")
    assert exemption.state == ExemptionState.RELEASED
