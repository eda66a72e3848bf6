"""The application state machine's table and who acts at each step: data and pure rules, no writes.

Transition table (``TRANSITIONS``): each legal (from state, to state) pair names the tier that may make it.

=====================  =====================  ==========  ===========================================
from                   to                     tier        note
=====================  =====================  ==========  ===========================================
idea_registered        idea_accepted          approving   district officer (148) / province (1489)
idea_registered        idea_rejected          approving
idea_registered        returned               approving   reason required
idea_accepted          plan_submitted         commune
plan_submitted         implementing           approving   plan approved
plan_submitted         returned               approving   reason required
implementing           dossier_submitted      commune     refused while a vault document is missing
dossier_submitted      dossier_checked        commune
dossier_submitted      returned               commune     reason required
dossier_checked        sent_for_evaluation    commune     the commune forwards the dossier up
dossier_checked        returned               commune or approving (the tier that receives it)
sent_for_evaluation    returned               approving   the receiving tier returns it, reason required
returned               <returned_from>        commune     resubmission; a dossier is checked again
(any state before an outcome)  withdrawn      commune     the producer withdraws, reason required
sent_for_evaluation    forwarded_province     council     pre-check passed (1489) / district forwards (148)
sent_for_evaluation    not_proposed           council     the commune pre-check did not pass (1489)
sent_for_evaluation    recognised             council     the district's decision (148), with the stars
sent_for_evaluation    not_recognised         council
forwarded_province     recognised             council     the province's decision
forwarded_province     not_recognised         council
forwarded_province     forwarded_central      council     ≥ 90 at the province: a 5★ candidate
forwarded_central      recognised             council     the central council's decision
forwarded_central      not_recognised         council
=====================  =====================  ==========  ===========================================

"council" moves are never offered as buttons: :func:`application_transition` makes them only when it is given
the round whose result (a closed pre-check or a recorded decision) decides them. Returning or withdrawing an
application removes it from the open rounds it was entered in (audited).

"commune" is a commune officer whose unit is the product's commune. "approving" is, under ``qd148-2023``,
a district officer whose district contains the commune and, under ``qd1489-2025`` (no districts), a
province officer whose province contains it. Nobody else (not even national roles) moves an application:
the programme's decisions give these steps to these tiers.

:func:`apps.cycles.services.application_transition` is the one function that moves a state along this table; the
selectors read it for the buttons an application's page offers and for the people a move notifies.
"""

from apps.accounts.enums import Role
from apps.core.enums import RuleSet

from .enums import ApplicationState, Tier

S = ApplicationState

# (from, to) → tiers allowed to make the move. Anything not in this table is illegal.
TRANSITIONS = {
    (S.IDEA_REGISTERED, S.IDEA_ACCEPTED): {Tier.APPROVING},
    (S.IDEA_REGISTERED, S.IDEA_REJECTED): {Tier.APPROVING},
    (S.IDEA_REGISTERED, S.RETURNED): {Tier.APPROVING},
    (S.IDEA_ACCEPTED, S.PLAN_SUBMITTED): {Tier.COMMUNE},
    (S.PLAN_SUBMITTED, S.IMPLEMENTING): {Tier.APPROVING},
    (S.PLAN_SUBMITTED, S.RETURNED): {Tier.APPROVING},
    (S.IMPLEMENTING, S.DOSSIER_SUBMITTED): {Tier.COMMUNE},
    (S.DOSSIER_SUBMITTED, S.DOSSIER_CHECKED): {Tier.COMMUNE},
    (S.DOSSIER_SUBMITTED, S.RETURNED): {Tier.COMMUNE},
    (S.DOSSIER_CHECKED, S.SENT_FOR_EVALUATION): {Tier.COMMUNE},
    (S.DOSSIER_CHECKED, S.RETURNED): {Tier.COMMUNE, Tier.APPROVING},
    (S.SENT_FOR_EVALUATION, S.RETURNED): {Tier.APPROVING},
    (S.SENT_FOR_EVALUATION, S.FORWARDED_PROVINCE): {Tier.COUNCIL},
    (S.SENT_FOR_EVALUATION, S.NOT_PROPOSED): {Tier.COUNCIL},
    (S.SENT_FOR_EVALUATION, S.RECOGNISED): {Tier.COUNCIL},
    (S.SENT_FOR_EVALUATION, S.NOT_RECOGNISED): {Tier.COUNCIL},
    (S.FORWARDED_PROVINCE, S.RECOGNISED): {Tier.COUNCIL},
    (S.FORWARDED_PROVINCE, S.NOT_RECOGNISED): {Tier.COUNCIL},
    (S.FORWARDED_PROVINCE, S.FORWARDED_CENTRAL): {Tier.COUNCIL},
    (S.FORWARDED_CENTRAL, S.RECOGNISED): {Tier.COUNCIL},
    (S.FORWARDED_CENTRAL, S.NOT_RECOGNISED): {Tier.COUNCIL},
}
# The producer may withdraw (through the commune) at any point before an outcome.
WITHDRAWABLE_STATES = (
    S.IDEA_REGISTERED,
    S.IDEA_ACCEPTED,
    S.PLAN_SUBMITTED,
    S.IMPLEMENTING,
    S.DOSSIER_SUBMITTED,
    S.DOSSIER_CHECKED,
    S.SENT_FOR_EVALUATION,
    S.RETURNED,
    S.FORWARDED_PROVINCE,
    S.FORWARDED_CENTRAL,
)
TRANSITIONS.update({(state, S.WITHDRAWN): {Tier.COMMUNE} for state in WITHDRAWABLE_STATES})
# Moves that need a written reason.
REASON_REQUIRED = (S.RETURNED, S.WITHDRAWN)

# The states in which the commune may still edit the dossier (its form, self-assessment and evidence files).
DOSSIER_EDITABLE_STATES = (S.IMPLEMENTING, S.RETURNED, S.IDEA_ACCEPTED, S.IDEA_REGISTERED, S.PLAN_SUBMITTED)
# The check states an application may be returned from; resubmission goes back to the same state.
CHECK_STATES = (S.IDEA_REGISTERED, S.PLAN_SUBMITTED, S.DOSSIER_SUBMITTED, S.DOSSIER_CHECKED, S.SENT_FOR_EVALUATION)
RESUBMIT_TIERS = {Tier.COMMUNE}

# Who is asked to act once an application reaches a state (the notification e-mail goes to them).
NEXT_ACTOR: dict[str, str] = {  # ApplicationState -> Tier, both str
    S.IDEA_REGISTERED: Tier.APPROVING,
    S.IDEA_ACCEPTED: Tier.COMMUNE,
    S.IDEA_REJECTED: Tier.COMMUNE,
    S.PLAN_SUBMITTED: Tier.APPROVING,
    S.IMPLEMENTING: Tier.COMMUNE,
    S.DOSSIER_SUBMITTED: Tier.COMMUNE,
    S.DOSSIER_CHECKED: Tier.COMMUNE,
    S.SENT_FOR_EVALUATION: Tier.APPROVING,
    S.RETURNED: Tier.COMMUNE,
    # The outcomes go to the commune, which tells the producer.
    S.WITHDRAWN: Tier.COMMUNE,
    S.FORWARDED_PROVINCE: Tier.COMMUNE,
    S.FORWARDED_CENTRAL: Tier.COMMUNE,
    S.NOT_PROPOSED: Tier.COMMUNE,
    S.RECOGNISED: Tier.COMMUNE,
    S.NOT_RECOGNISED: Tier.COMMUNE,
}


def legal_tiers(state, returned_from, to_state):
    """The tiers that may move an application from ``state`` to ``to_state`` (None: the move is illegal)."""
    if state == S.RETURNED and returned_from and to_state == returned_from:
        return RESUBMIT_TIERS
    return TRANSITIONS.get((state, to_state))


def allowed_targets(state, returned_from=""):
    """The states an application in ``state`` may legally move to (ignoring who asks)."""
    targets = [to for (frm, to) in TRANSITIONS if frm == state]
    if state == S.RETURNED and returned_from:
        targets.insert(0, S(returned_from))
    return targets


def approving_role(rule_set):
    """The role of the "approving" tier: district officers under qd148-2023, province officers otherwise."""
    return Role.DISTRICT_OFFICER if rule_set == RuleSet.QD148_2023 else Role.PROVINCE_OFFICER
