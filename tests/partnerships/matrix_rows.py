"""Every partnerships page for every role. P1 holds the partner's organisation; P2 does not."""

from tests.matrix import Row, allow
from tests.partnerships.factories import make_registers, two_partnerships

VIEWERS = ("leader", "pcc", "analyst", "coordinator", "partner", "admin")
MANAGERS = ("coordinator", "admin")
ORG_VIEWERS = ("leader", "pcc", "analyst", "coordinator", "admin")


def build(world):
    world.pw = two_partnerships(world.users)
    world.reg = make_registers(world.users)


def _p(w, which="p1"):
    return {"pk": getattr(w.pw, which).pk}


ROWS = [
    Row("partnerships:partnership-list", allow(*VIEWERS)),
    Row("partnerships:partnership-create", allow(*MANAGERS)),
    Row("partnerships:partnership-detail", allow(*VIEWERS), kwargs=_p),
    Row("partnerships:partnership-detail", allow(*VIEWERS, partner=404), kwargs=lambda w: _p(w, "p2"), id="other"),
    Row("partnerships:partnership-edit", allow(*MANAGERS), kwargs=_p),
    Row("partnerships:partnership-edit", allow(*MANAGERS, partner=404), kwargs=lambda w: _p(w, "p2"), id="other"),
    Row("partnerships:partnership-history", allow(*VIEWERS), kwargs=_p),
    Row("partnerships:partnership-history", allow(*VIEWERS, partner=404), kwargs=lambda w: _p(w, "p2"), id="other"),
    Row("partnerships:membership-add", allow(*MANAGERS), kwargs=_p),
    Row(
        "partnerships:membership-add",
        allow(*MANAGERS, ok=302),
        kwargs=_p,
        method="post",
        data=lambda w: {"organisation": w.pw.other.pk},
        id="post",
    ),
    Row(
        "partnerships:membership-remove",
        allow(*MANAGERS),
        kwargs=lambda w: {"pk": w.pw.p1.pk, "membership_pk": w.pw.membership_p1.pk},
    ),
    Row(
        "partnerships:membership-remove",
        allow(*MANAGERS, partner=404),
        kwargs=lambda w: {"pk": w.pw.p2.pk, "membership_pk": w.pw.membership_p2.pk},
        id="other",
    ),
    Row("partnerships:terms-new", allow(*MANAGERS, ok=302), kwargs=_p, method="post"),
    Row("partnerships:terms-compare", allow(*VIEWERS), kwargs=_p),
    Row("partnerships:terms-compare", allow(*VIEWERS, partner=404), kwargs=lambda w: _p(w, "p2"), id="other"),
    Row(
        "partnerships:terms-detail", allow(*VIEWERS), kwargs=lambda w: {"pk": w.pw.p1.pk, "terms_pk": w.pw.p1_terms.pk}
    ),
    Row(
        "partnerships:terms-detail",
        allow(*VIEWERS, partner=404),
        kwargs=lambda w: {"pk": w.pw.p1.pk, "terms_pk": w.pw.p1_draft.pk},
        id="draft",
    ),
    Row(
        "partnerships:terms-detail",
        allow(*VIEWERS, partner=404),
        kwargs=lambda w: {"pk": w.pw.p2.pk, "terms_pk": w.pw.p2_terms.pk},
        id="other",
    ),
    Row(
        "partnerships:terms-edit",
        allow(*MANAGERS, partner=404),
        kwargs=lambda w: {"pk": w.pw.p1.pk, "terms_pk": w.pw.p1_draft.pk},
    ),
    Row(
        "partnerships:terms-approve",
        allow(*MANAGERS, partner=404),
        kwargs=lambda w: {"pk": w.pw.p1.pk, "terms_pk": w.pw.p1_draft.pk},
    ),
    Row("partnerships:terms-pdf", allow(*VIEWERS), kwargs=lambda w: {"pk": w.pw.p1.pk, "terms_pk": w.pw.p1_terms.pk}),
    Row(
        "partnerships:terms-pdf",
        allow(*VIEWERS, partner=404),
        kwargs=lambda w: {"pk": w.pw.p2.pk, "terms_pk": w.pw.p2_terms.pk},
        id="other",
    ),
    Row(
        "partnerships:terms-history", allow(*VIEWERS), kwargs=lambda w: {"pk": w.pw.p1.pk, "terms_pk": w.pw.p1_terms.pk}
    ),
    Row("partnerships:agreement-create", allow(*MANAGERS), kwargs=_p),
    Row("partnerships:agreement-list", allow(*VIEWERS)),
    Row("partnerships:agreement-export", allow(*VIEWERS), kwargs=lambda w: {"fmt": "csv"}),
    Row("partnerships:agreement-export", allow(*VIEWERS), kwargs=lambda w: {"fmt": "xlsx"}, id="xlsx"),
    Row("partnerships:agreement-export", allow(*VIEWERS, ok=404), kwargs=lambda w: {"fmt": "pdf"}, id="unknown"),
    Row("partnerships:agreement-detail", allow(*VIEWERS), kwargs=lambda w: {"pk": w.pw.p1_agreement.pk}),
    Row(
        "partnerships:agreement-detail",
        allow(*VIEWERS, partner=404),
        kwargs=lambda w: {"pk": w.pw.p2_agreement.pk},
        id="other",
    ),
    Row(
        "partnerships:agreement-detail",
        allow(*VIEWERS, partner=404),
        kwargs=lambda w: {"pk": w.pw.p1_not_party.pk},
        id="not-party",
    ),
    Row("partnerships:agreement-edit", allow(*MANAGERS), kwargs=lambda w: {"pk": w.pw.p1_agreement.pk}),
    Row(
        "partnerships:agreement-edit",
        allow(*MANAGERS, partner=404),
        kwargs=lambda w: {"pk": w.pw.p2_agreement.pk},
        id="other",
    ),
    Row("partnerships:agreement-history", allow(*VIEWERS), kwargs=lambda w: {"pk": w.pw.p1_agreement.pk}),
    Row("partnerships:organisation-list", allow(*ORG_VIEWERS)),
    Row("partnerships:organisation-create", allow(*MANAGERS)),
    Row("partnerships:organisation-detail", allow(*ORG_VIEWERS), kwargs=lambda w: {"pk": w.pw.other.pk}),
    Row("partnerships:organisation-edit", allow(*MANAGERS), kwargs=lambda w: {"pk": w.pw.other.pk}),
    Row("partnerships:organisation-history", allow(*ORG_VIEWERS), kwargs=lambda w: {"pk": w.pw.other.pk}),
    Row("partnerships:notification-list", allow("leader", "coordinator", "admin")),
    Row("partnerships:notification-create", allow(*MANAGERS)),
    Row("partnerships:notification-edit", allow(*MANAGERS), kwargs=lambda w: {"pk": w.reg.notification.pk}),
    Row(
        "partnerships:notification-history",
        allow("leader", "coordinator", "admin"),
        kwargs=lambda w: {"pk": w.reg.notification.pk},
    ),
    Row("partnerships:support-list", allow("leader", "pcc", "coordinator", "admin")),
    Row("partnerships:support-create", allow(*MANAGERS)),
    Row("partnerships:support-edit", allow(*MANAGERS), kwargs=lambda w: {"pk": w.reg.support.pk}),
    Row(
        "partnerships:support-history",
        allow("leader", "pcc", "coordinator", "admin"),
        kwargs=lambda w: {"pk": w.reg.support.pk},
    ),
    # ICTG referrals: senior leaders and safeguarding leads (a permission given per user) only.
    Row("partnerships:ictg-list", allow("leader", "admin")),
    Row("partnerships:ictg-create", allow("leader", "admin")),
    Row("partnerships:ictg-edit", allow("leader", "admin"), kwargs=lambda w: {"pk": w.reg.ictg.pk}),
    Row("partnerships:ictg-history", allow("leader", "admin"), kwargs=lambda w: {"pk": w.reg.ictg.pk}),
    Row("partnerships:reviews", allow("leader", "coordinator", "admin")),
]
