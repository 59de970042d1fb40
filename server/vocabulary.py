"""The domain's fixed vocabularies (DESIGN §2). Labels live in translations/."""

ROLES = ("coach", "supervisor", "employer_rep", "admin")

GOAL_AREAS = ("competence", "work_community", "working_life_skills", "wellbeing")
GOAL_STATUSES = ("open", "achieved", "dropped")
# Wellbeing goals may hold health information: special-category personal data.
SENSITIVE_GOAL_AREAS = frozenset({"wellbeing"})

MEASURE_TYPES = (
    "work_trial",  # työkokeilu
    "subsidised_work",  # palkkatuettu työ
    "paid_work",  # palkkatyö
    "apprenticeship",  # oppisopimus
    "job_coaching",  # työhönvalmennus, no placement yet
    "studies",  # opinnot
)
PERIOD_PHASES = ("planning", "active", "follow_up", "ended", "cancelled")
# The phases of a period that has an end date (follow-up comes after the end).
CLOSING_PHASES = ("follow_up", "ended", "cancelled")
OUTCOMES = ("employed_open", "employed_subsidised", "studies", "job_search", "other")

RATERS = ("participant", "employer", "work_community", "coach")
RATING_SCALE = (1, 2, 3, 4, 5)

DEMONSTRATION_RESULTS = ("passed", "partly_passed", "not_passed")
TASK_RESULTS = ("met", "partly_met", "not_met")
DEMONSTRATION_STATUSES = ("draft", "ready", "signed", "needs_new_signoff")
SIGNOFF_STATUSES = ("pending", "verified", "failed")

VOUCHER_STATUSES = ("eligible", "requested", "approved", "rejected", "paid")
# Allowed moves of a coaching voucher: eligible → requested → approved/rejected → paid.
VOUCHER_TRANSITIONS = {
    "eligible": ("requested",),
    "requested": ("approved", "rejected"),
    "approved": ("paid",),
    "rejected": (),
    "paid": (),
}

# Success means both parties are satisfied (seed 001): each answers 1-5 at the
# end of a period and at each follow-up; 4 or 5 counts as satisfied.
SATISFACTION_MOMENTS = ("end", "follow_up_3", "follow_up_6")
SATISFACTION_PARTIES = ("participant", "employer")
SATISFIED_FROM = 4

# A coach's voucher request, as the server decided it when it arrived.
VOUCHER_REQUEST_DECISIONS = ("pending", "accepted", "refused")

CONTACT_KINDS = ("visit", "phone", "email", "meeting_event", "other")
ALTERNATIVE_METHODS = ("work_demonstration", "meeting_event")

PANELIST_KINDS = ("client", "staff")
PANEL_MIN_CLIENTS = 2
PANEL_MIN_STAFF = 2

CONFLICT_KINDS = ("value", "delete", "signed")
CONFLICT_STATUSES = ("open", "resolved")

LANGUAGES = ("fi", "sv", "en")
