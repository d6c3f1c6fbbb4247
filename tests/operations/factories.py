"""Operations, disruptions and debriefs for tests: made through the services, as users make them."""

from datetime import date, timedelta

from operations.models import DisruptionLevel, OperationStatus
from operations.services.disruptions import disruption_create
from operations.services.operations import operation_create

OPENED = date(2025, 1, 6)


def make_operation(by, *, reference="OP-2025-0001", title="Car wash labour exploitation", **fields):
    values = {
        "reference": reference,
        "title": title,
        "opened_on": OPENED,
        "status": OperationStatus.LIVE,
        "lead_unit": "Major Crime",
        "officer_in_charge": by,
        "oic_pip_level": 2,
        "exploitation_types": "labour",
        "adult_victims": True,
    }
    values.update(fields)
    return operation_create(by=by, **values)


def make_disruption(operation, by, *, level=DisruptionLevel.MAJOR, on=None, **fields):
    values = {
        "disrupted_on": on or operation.opened_on + timedelta(days=10),
        "level": level,
        "pillar": "pursue",
        "tactic_group": "crime",
        "lead_agency": "Force",
        "justification": "Network's main site closed and controllers arrested.",
    }
    values.update(fields)
    return disruption_create(operation=operation, by=by, **values)
