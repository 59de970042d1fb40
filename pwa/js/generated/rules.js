// Written by `flask --app server export-app-rules` (server/app_rules.py): do not edit.
export default {
 "due": {
  "assessment_round_days": 30,
  "follow_up_months": [
   3,
   6
  ],
  "planned_end_warning_days": 14
 },
 "fields": {
  "assessment": {
   "comment": {
    "type": "text"
   },
   "goal_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "rater": {
    "choices": [
     "participant",
     "employer",
     "work_community",
     "coach"
    ],
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "rating": {
    "not_null": true,
    "range": [
     1,
     5
    ],
    "required": true,
    "type": "integer"
   },
   "round_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   }
  },
  "assessment_round": {
   "held_on": {
    "not_null": true,
    "required": true,
    "type": "date"
   },
   "is_final": {
    "not_null": true,
    "type": "boolean"
   },
   "note": {
    "type": "text"
   },
   "period_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   }
  },
  "coaching_period": {
   "coach_id": {
    "not_null": true,
    "required": true,
    "type": "integer"
   },
   "employer_id": {
    "max_length": 36,
    "type": "text"
   },
   "end_date": {
    "type": "date"
   },
   "measure_type": {
    "choices": [
     "work_trial",
     "subsidised_work",
     "paid_work",
     "apprenticeship",
     "job_coaching",
     "studies"
    ],
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "outcome_3_months": {
    "choices": [
     "employed_open",
     "employed_subsidised",
     "studies",
     "job_search",
     "other"
    ],
    "type": "text"
   },
   "outcome_6_months": {
    "choices": [
     "employed_open",
     "employed_subsidised",
     "studies",
     "job_search",
     "other"
    ],
    "type": "text"
   },
   "outcome_at_end": {
    "choices": [
     "employed_open",
     "employed_subsidised",
     "studies",
     "job_search",
     "other"
    ],
    "type": "text"
   },
   "participant_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "phase": {
    "choices": [
     "planning",
     "active",
     "follow_up",
     "ended",
     "cancelled"
    ],
    "not_null": true,
    "type": "text"
   },
   "planned_end_date": {
    "type": "date"
   },
   "start_date": {
    "not_null": true,
    "required": true,
    "type": "date"
   },
   "workplace_id": {
    "max_length": 36,
    "type": "text"
   }
  },
  "coaching_voucher": {
   "amount_cents": {
    "type": "integer"
   },
   "employer_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "period_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "requested_at": {
    "type": "datetime"
   },
   "status": {
    "choices": [
     "eligible",
     "requested",
     "approved",
     "rejected",
     "paid"
    ],
    "not_null": true,
    "required": true,
    "type": "text"
   }
  },
  "demonstration_task": {
   "criteria": {
    "type": "text"
   },
   "demonstration_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "note": {
    "type": "text"
   },
   "position": {
    "not_null": true,
    "type": "integer"
   },
   "result": {
    "choices": [
     "met",
     "partly_met",
     "not_met"
    ],
    "type": "text"
   },
   "task": {
    "max_length": 300,
    "not_null": true,
    "required": true,
    "type": "text"
   }
  },
  "employer": {
   "address": {
    "max_length": 300,
    "type": "text"
   },
   "business_id": {
    "checks": [
     "ytunnus"
    ],
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "industry": {
    "max_length": 200,
    "type": "text"
   },
   "municipality": {
    "max_length": 100,
    "type": "text"
   },
   "name": {
    "max_length": 200,
    "not_null": true,
    "required": true,
    "type": "text"
   }
  },
  "employer_contact": {
   "adopted_alternative_recruitment": {
    "not_null": true,
    "type": "boolean"
   },
   "adopted_method": {
    "choices": [
     "work_demonstration",
     "meeting_event"
    ],
    "type": "text"
   },
   "coach_id": {
    "not_null": true,
    "required": true,
    "type": "integer"
   },
   "contact_date": {
    "not_null": true,
    "required": true,
    "type": "date"
   },
   "employer_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "informed_of_alternative_recruitment": {
    "not_null": true,
    "type": "boolean"
   },
   "kind": {
    "choices": [
     "visit",
     "phone",
     "email",
     "meeting_event",
     "other"
    ],
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "note": {
    "max_length": 5000,
    "type": "text"
   }
  },
  "employer_contact_person": {
   "email": {
    "type": "email"
   },
   "employer_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "name": {
    "max_length": 200,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "phone": {
    "max_length": 40,
    "type": "text"
   },
   "title": {
    "max_length": 200,
    "type": "text"
   }
  },
  "event_attendance": {
   "attended": {
    "not_null": true,
    "type": "boolean"
   },
   "employer_id": {
    "max_length": 36,
    "type": "text"
   },
   "event_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "got_work": {
    "not_null": true,
    "type": "boolean"
   },
   "meetings_held": {
    "not_null": true,
    "range": [
     0,
     100
    ],
    "type": "integer"
   },
   "note": {
    "type": "text"
   },
   "participant_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   }
  },
  "event_guest": {
   "employer_id": {
    "max_length": 36,
    "type": "text"
   },
   "event_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "got_work": {
    "not_null": true,
    "type": "boolean"
   },
   "meetings_held": {
    "not_null": true,
    "range": [
     0,
     100
    ],
    "type": "integer"
   },
   "name": {
    "max_length": 200,
    "type": "text"
   },
   "name_consent": {
    "not_null": true,
    "type": "boolean"
   },
   "note": {
    "type": "text"
   }
  },
  "goal": {
   "area": {
    "choices": [
     "competence",
     "work_community",
     "working_life_skills",
     "wellbeing"
    ],
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "description": {
    "type": "text"
   },
   "period_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "status": {
    "choices": [
     "open",
     "achieved",
     "dropped"
    ],
    "not_null": true,
    "type": "text"
   },
   "success_criteria": {
    "type": "text"
   },
   "target_date": {
    "type": "date"
   },
   "title": {
    "max_length": 200,
    "not_null": true,
    "required": true,
    "type": "text"
   }
  },
  "meeting_event": {
   "event_date": {
    "not_null": true,
    "required": true,
    "type": "date"
   },
   "note": {
    "type": "text"
   },
   "place": {
    "max_length": 200,
    "type": "text"
   },
   "title": {
    "max_length": 200,
    "not_null": true,
    "required": true,
    "type": "text"
   }
  },
  "meeting_event_employer": {
   "employer_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "event_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "meetings_held": {
    "not_null": true,
    "range": [
     0,
     100
    ],
    "type": "integer"
   }
  },
  "note": {
   "body": {
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "participant_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "period_id": {
    "max_length": 36,
    "type": "text"
   }
  },
  "panel_assessment": {
   "candidate_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "comment": {
    "type": "text"
   },
   "panel_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "panelist_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "rating": {
    "not_null": true,
    "range": [
     1,
     5
    ],
    "required": true,
    "type": "integer"
   }
  },
  "panel_candidate": {
   "chosen": {
    "not_null": true,
    "type": "boolean"
   },
   "name": {
    "max_length": 200,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "panel_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   }
  },
  "panelist": {
   "kind": {
    "choices": [
     "client",
     "staff"
    ],
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "name": {
    "max_length": 200,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "panel_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   }
  },
  "participant": {
   "birth_year": {
    "range": [
     1900,
     2100
    ],
    "type": "integer"
   },
   "coach_id": {
    "not_null": true,
    "required": true,
    "type": "integer"
   },
   "consent_date": {
    "type": "date"
   },
   "consent_given": {
    "not_null": true,
    "type": "boolean"
   },
   "consent_note": {
    "type": "text"
   },
   "email": {
    "type": "email"
   },
   "first_name": {
    "checks": [
     "not_blank"
    ],
    "max_length": 100,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "last_name": {
    "checks": [
     "not_blank"
    ],
    "max_length": 100,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "municipality": {
    "max_length": 100,
    "type": "text"
   },
   "phone": {
    "max_length": 40,
    "type": "text"
   }
  },
  "recruitment_panel": {
   "decision": {
    "type": "text"
   },
   "held_on": {
    "not_null": true,
    "required": true,
    "type": "date"
   },
   "position_title": {
    "max_length": 200,
    "not_null": true,
    "required": true,
    "type": "text"
   }
  },
  "review_return": {
   "answer": {
    "max_length": 5000,
    "type": "text"
   },
   "status": {
    "choices": [
     "open",
     "answered"
    ],
    "not_null": true,
    "type": "text"
   }
  },
  "satisfaction_answer": {
   "answered_on": {
    "not_null": true,
    "required": true,
    "type": "date"
   },
   "comment": {
    "max_length": 2000,
    "type": "text"
   },
   "language": {
    "choices": [
     "fi",
     "sv",
     "en"
    ],
    "type": "text"
   },
   "moment": {
    "choices": [
     "end",
     "follow_up_3",
     "follow_up_6"
    ],
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "party": {
    "choices": [
     "participant",
     "employer"
    ],
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "period_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "rating": {
    "not_null": true,
    "range": [
     1,
     5
    ],
    "required": true,
    "type": "integer"
   },
   "respondent": {
    "max_length": 200,
    "type": "text"
   }
  },
  "signoff": {
   "authenticator_data": {
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "client_data_json": {
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "content_sha256": {
    "max_length": 64,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "content_version": {
    "not_null": true,
    "required": true,
    "type": "integer"
   },
   "credential_id": {
    "max_length": 1024,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "demonstration_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "nonce": {
    "max_length": 64,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "representative_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "signature": {
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "signed_at": {
    "not_null": true,
    "required": true,
    "type": "datetime"
   },
   "signed_content": {
    "type": "text"
   },
   "user_handle": {
    "max_length": 1024,
    "type": "text"
   }
  },
  "voucher_request": {
   "period_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   }
  },
  "work_demonstration": {
   "demonstration_date": {
    "not_null": true,
    "required": true,
    "type": "date"
   },
   "employer_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "overall_result": {
    "choices": [
     "passed",
     "partly_passed",
     "not_passed"
    ],
    "type": "text"
   },
   "participant_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "period_id": {
    "max_length": 36,
    "type": "text"
   },
   "recommendation": {
    "type": "text"
   },
   "title": {
    "max_length": 200,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "workplace_id": {
    "max_length": 36,
    "type": "text"
   }
  },
  "workplace": {
   "address": {
    "max_length": 300,
    "type": "text"
   },
   "employer_id": {
    "max_length": 36,
    "not_null": true,
    "required": true,
    "type": "text"
   },
   "name": {
    "max_length": 200,
    "not_null": true,
    "required": true,
    "type": "text"
   }
  }
 },
 "labels": {
  "en": {
   "area.competence": "Competence",
   "area.wellbeing": "Wellbeing",
   "area.work_community": "Work community",
   "area.working_life_skills": "Working-life skills",
   "contact_kind.email": "E-mail",
   "contact_kind.meeting_event": "Meeting event",
   "contact_kind.other": "Other",
   "contact_kind.phone": "Phone call",
   "contact_kind.visit": "Visit",
   "demo_result.not_passed": "Not passed yet",
   "demo_result.partly_passed": "Partly passed",
   "demo_result.passed": "Passed",
   "demo_status.draft": "Draft",
   "demo_status.needs_new_signoff": "Needs new sign-off",
   "demo_status.ready": "Ready for sign-off",
   "demo_status.signed": "Signed",
   "goal_status.achieved": "Achieved",
   "goal_status.dropped": "Dropped",
   "goal_status.open": "Open",
   "measure.apprenticeship": "Apprenticeship",
   "measure.job_coaching": "Job coaching",
   "measure.paid_work": "Paid work",
   "measure.studies": "Studies",
   "measure.subsidised_work": "Wage-subsidised work",
   "measure.work_trial": "Work trial",
   "outcome.employed_open": "Employed, open market",
   "outcome.employed_subsidised": "Employed, subsidised",
   "outcome.job_search": "Continues job search",
   "outcome.other": "Other",
   "outcome.studies": "Studies",
   "phase.active": "Active",
   "phase.cancelled": "Cancelled",
   "phase.ended": "Ended",
   "phase.follow_up": "Follow-up",
   "phase.planning": "Planning",
   "rater.coach": "Coach",
   "rater.employer": "Employer",
   "rater.participant": "New employee",
   "rater.work_community": "Work community",
   "rating.1": "1 – Not yet",
   "rating.2": "2 – With support",
   "rating.3": "3 – Partly",
   "rating.4": "4 – Well",
   "rating.5": "5 – Excellently",
   "satisfaction_moment.end": "At the end of the period",
   "satisfaction_moment.follow_up_3": "Follow-up at 3 months",
   "satisfaction_moment.follow_up_6": "Follow-up at 6 months",
   "satisfaction_party.employer": "Employer",
   "satisfaction_party.participant": "New employee",
   "signoff.failed": "Signature not valid",
   "signoff.needs_new_signoff": "Needs a new sign-off",
   "signoff.pending": "Signature not yet verified",
   "signoff.unsigned": "Not signed",
   "signoff.verified": "Signature verified",
   "signoff_reason.challenge_mismatch": "The signature covers other content or another one-time code.",
   "signoff_reason.content_mismatch": "The signed content does not match the demonstration.",
   "signoff_reason.credential_not_of_representative": "The key does not belong to the named representative of the employer.",
   "signoff_reason.credential_revoked": "The key had been revoked.",
   "signoff_reason.invalid_signature": "The signature does not match the registered key.",
   "signoff_reason.malformed_assertion": "The signature data cannot be read.",
   "signoff_reason.no_user_presence": "The key did not confirm that the signer was present.",
   "signoff_reason.no_user_verification": "The signer was not verified (no PIN or biometrics).",
   "signoff_reason.nonce_already_used": "The one-time code was already used for another signature.",
   "signoff_reason.nonce_expired": "The one-time code had expired.",
   "signoff_reason.nonce_not_consumed": "The signature was not checked when it arrived.",
   "signoff_reason.nonce_not_issued_to_device": "The one-time code was issued to another device.",
   "signoff_reason.representative_inactive": "The representative's account has been deactivated.",
   "signoff_reason.unknown_credential": "The key is not registered.",
   "signoff_reason.unknown_nonce": "The signature's one-time code was never issued by this server.",
   "signoff_reason.unsupported_content_version": "The signed content's format is unknown.",
   "signoff_reason.user_handle_mismatch": "The key named another user.",
   "signoff_reason.wrong_origin": "The signature was made on the wrong web address.",
   "signoff_reason.wrong_rp_id": "The signature was made for another service.",
   "task_result.met": "Met",
   "task_result.not_met": "Not met",
   "task_result.partly_met": "Partly met",
   "voucher_status.approved": "Approved",
   "voucher_status.eligible": "Eligible",
   "voucher_status.not_eligible": "Not yet eligible",
   "voucher_status.paid": "Paid",
   "voucher_status.rejected": "Rejected",
   "voucher_status.requested": "Requested",
   "vouchers.reason.demonstration_unsigned": "the work demonstration is not signed (or needs a new sign-off)",
   "vouchers.reason.forbidden": "you may not request the voucher",
   "vouchers.reason.no_employer": "the period has no employer",
   "vouchers.reason.no_final_round": "the final assessment round is missing",
   "vouchers.reason.not_ended": "the period has not ended (phase ended or follow-up, and an end date)",
   "vouchers.reason.not_your_period": "only the period's own coach may request the voucher",
   "vouchers.reason.period_gone": "the period no longer exists",
   "vouchers.reason.status_approved": "the voucher has already been approved",
   "vouchers.reason.status_eligible": "the voucher is already recorded as eligible",
   "vouchers.reason.status_paid": "the voucher has already been paid",
   "vouchers.reason.status_rejected": "the voucher has already been rejected",
   "vouchers.reason.status_requested": "the voucher has already been requested"
  },
  "fi": {
   "area.competence": "Osaaminen",
   "area.wellbeing": "Hyvinvointi",
   "area.work_community": "Työyhteisön toimivuus",
   "area.working_life_skills": "Työelämätaidot",
   "contact_kind.email": "Sähköposti",
   "contact_kind.meeting_event": "Työkohtaamo",
   "contact_kind.other": "Muu",
   "contact_kind.phone": "Puhelu",
   "contact_kind.visit": "Käynti",
   "demo_result.not_passed": "Ei vielä hyväksytty",
   "demo_result.partly_passed": "Osittain hyväksytty",
   "demo_result.passed": "Hyväksytty",
   "demo_status.draft": "Luonnos",
   "demo_status.needs_new_signoff": "Vaatii uuden allekirjoituksen",
   "demo_status.ready": "Valmis allekirjoitettavaksi",
   "demo_status.signed": "Allekirjoitettu",
   "goal_status.achieved": "Saavutettu",
   "goal_status.dropped": "Luovuttu",
   "goal_status.open": "Työn alla",
   "measure.apprenticeship": "Oppisopimus",
   "measure.job_coaching": "Työhönvalmennus",
   "measure.paid_work": "Palkkatyö",
   "measure.studies": "Opinnot",
   "measure.subsidised_work": "Palkkatuettu työ",
   "measure.work_trial": "Työkokeilu",
   "outcome.employed_open": "Työllistyi avoimille työmarkkinoille",
   "outcome.employed_subsidised": "Työllistyi tuetusti",
   "outcome.job_search": "Jatkaa työnhakua",
   "outcome.other": "Muu",
   "outcome.studies": "Opinnot",
   "phase.active": "Käynnissä",
   "phase.cancelled": "Keskeytynyt",
   "phase.ended": "Päättynyt",
   "phase.follow_up": "Seuranta",
   "phase.planning": "Suunnittelu",
   "rater.coach": "Valmentaja",
   "rater.employer": "Työnantaja",
   "rater.participant": "Uusi työntekijä",
   "rater.work_community": "Työyhteisö",
   "rating.1": "1 – Ei vielä onnistu",
   "rating.2": "2 – Onnistuu tuettuna",
   "rating.3": "3 – Onnistuu osittain",
   "rating.4": "4 – Onnistuu hyvin",
   "rating.5": "5 – Onnistuu erinomaisesti",
   "satisfaction_moment.end": "Jakson päättyessä",
   "satisfaction_moment.follow_up_3": "Seuranta 3 kk",
   "satisfaction_moment.follow_up_6": "Seuranta 6 kk",
   "satisfaction_party.employer": "Työnantaja",
   "satisfaction_party.participant": "Uusi työntekijä",
   "signoff.failed": "Allekirjoitus ei kelpaa",
   "signoff.needs_new_signoff": "Vaatii uuden allekirjoituksen",
   "signoff.pending": "Allekirjoitus tarkistamatta",
   "signoff.unsigned": "Ei allekirjoitettu",
   "signoff.verified": "Allekirjoitus vahvistettu",
   "signoff_reason.challenge_mismatch": "Allekirjoitus koskee eri sisältöä tai eri kertakäyttökoodia.",
   "signoff_reason.content_mismatch": "Allekirjoitettu sisältö ei vastaa työnäytön tietoja.",
   "signoff_reason.credential_not_of_representative": "Avain ei kuulu nimetylle työnantajan edustajalle.",
   "signoff_reason.credential_revoked": "Avain oli peruttu.",
   "signoff_reason.invalid_signature": "Allekirjoitus ei täsmää rekisteröityyn avaimeen.",
   "signoff_reason.malformed_assertion": "Allekirjoituksen tietoja ei voi lukea.",
   "signoff_reason.no_user_presence": "Avain ei vahvistanut, että allekirjoittaja oli paikalla.",
   "signoff_reason.no_user_verification": "Allekirjoittajaa ei tunnistettu (PIN-koodi tai biometriikka puuttui).",
   "signoff_reason.nonce_already_used": "Kertakäyttökoodi on jo käytetty toiseen allekirjoitukseen.",
   "signoff_reason.nonce_expired": "Kertakäyttökoodi oli vanhentunut.",
   "signoff_reason.nonce_not_consumed": "Allekirjoitusta ei tarkistettu sen saapuessa.",
   "signoff_reason.nonce_not_issued_to_device": "Kertakäyttökoodi myönnettiin toiselle laitteelle.",
   "signoff_reason.representative_inactive": "Edustajan käyttäjätunnus on poistettu käytöstä.",
   "signoff_reason.unknown_credential": "Avainta ei ole rekisteröity.",
   "signoff_reason.unknown_nonce": "Allekirjoituksen kertakäyttökoodia ei ole myönnetty tällä palvelimella.",
   "signoff_reason.unsupported_content_version": "Allekirjoitetun sisällön muotoa ei tunneta.",
   "signoff_reason.user_handle_mismatch": "Avain ilmoitti eri käyttäjän.",
   "signoff_reason.wrong_origin": "Allekirjoitus tehtiin väärässä osoitteessa.",
   "signoff_reason.wrong_rp_id": "Allekirjoitus on tehty toiselle palvelulle.",
   "task_result.met": "Täyttyi",
   "task_result.not_met": "Ei täyttynyt",
   "task_result.partly_met": "Täyttyi osittain",
   "voucher_status.approved": "Hyväksytty",
   "voucher_status.eligible": "Oikeutettu",
   "voucher_status.not_eligible": "Ei vielä oikeutettu",
   "voucher_status.paid": "Maksettu",
   "voucher_status.rejected": "Hylätty",
   "voucher_status.requested": "Haettu",
   "vouchers.reason.demonstration_unsigned": "työnäyttöä ei ole allekirjoitettu (tai se vaatii uuden allekirjoituksen)",
   "vouchers.reason.forbidden": "sinulla ei ole oikeutta hakea seteliä",
   "vouchers.reason.no_employer": "jaksolla ei ole työnantajaa",
   "vouchers.reason.no_final_round": "loppuarviointikierros puuttuu",
   "vouchers.reason.not_ended": "jakso ei ole päättynyt (vaihe päättynyt tai seuranta ja päättymispäivä)",
   "vouchers.reason.not_your_period": "seteliä voi hakea vain jakson oma valmentaja",
   "vouchers.reason.period_gone": "jaksoa ei enää ole",
   "vouchers.reason.status_approved": "seteli on jo hyväksytty",
   "vouchers.reason.status_eligible": "seteli on jo kirjattu oikeutetuksi",
   "vouchers.reason.status_paid": "seteli on jo maksettu",
   "vouchers.reason.status_rejected": "seteli on jo hylätty",
   "vouchers.reason.status_requested": "seteliä on jo haettu"
  },
  "sv": {
   "area.competence": "Kompetens",
   "area.wellbeing": "Välmående",
   "area.work_community": "Arbetsgemenskapens funktion",
   "area.working_life_skills": "Arbetslivsfärdigheter",
   "contact_kind.email": "E-post",
   "contact_kind.meeting_event": "Arbetsmöte",
   "contact_kind.other": "Annat",
   "contact_kind.phone": "Samtal",
   "contact_kind.visit": "Besök",
   "demo_result.not_passed": "Inte ännu godkänd",
   "demo_result.partly_passed": "Delvis godkänd",
   "demo_result.passed": "Godkänd",
   "demo_status.draft": "Utkast",
   "demo_status.needs_new_signoff": "Kräver ny underskrift",
   "demo_status.ready": "Klar för underskrift",
   "demo_status.signed": "Undertecknad",
   "goal_status.achieved": "Uppnått",
   "goal_status.dropped": "Slopat",
   "goal_status.open": "Pågår",
   "measure.apprenticeship": "Läroavtal",
   "measure.job_coaching": "Arbetscoachning",
   "measure.paid_work": "Lönearbete",
   "measure.studies": "Studier",
   "measure.subsidised_work": "Lönesubventionerat arbete",
   "measure.work_trial": "Arbetsprövning",
   "outcome.employed_open": "Sysselsatt på den öppna marknaden",
   "outcome.employed_subsidised": "Sysselsatt med stöd",
   "outcome.job_search": "Fortsätter söka arbete",
   "outcome.other": "Annat",
   "outcome.studies": "Studier",
   "phase.active": "Pågår",
   "phase.cancelled": "Avbruten",
   "phase.ended": "Avslutad",
   "phase.follow_up": "Uppföljning",
   "phase.planning": "Planering",
   "rater.coach": "Coach",
   "rater.employer": "Arbetsgivare",
   "rater.participant": "Ny arbetstagare",
   "rater.work_community": "Arbetsgemenskap",
   "rating.1": "1 – Lyckas inte ännu",
   "rating.2": "2 – Lyckas med stöd",
   "rating.3": "3 – Lyckas delvis",
   "rating.4": "4 – Lyckas bra",
   "rating.5": "5 – Lyckas utmärkt",
   "satisfaction_moment.end": "Vid periodens slut",
   "satisfaction_moment.follow_up_3": "Uppföljning efter 3 mån",
   "satisfaction_moment.follow_up_6": "Uppföljning efter 6 mån",
   "satisfaction_party.employer": "Arbetsgivaren",
   "satisfaction_party.participant": "Den nya arbetstagaren",
   "signoff.failed": "Underskriften godtas inte",
   "signoff.needs_new_signoff": "Kräver ny underskrift",
   "signoff.pending": "Underskriften okontrollerad",
   "signoff.unsigned": "Inte undertecknad",
   "signoff.verified": "Underskriften bekräftad",
   "signoff_reason.challenge_mismatch": "Underskriften gäller annat innehåll eller en annan engångskod.",
   "signoff_reason.content_mismatch": "Det undertecknade innehållet motsvarar inte arbetsprovets uppgifter.",
   "signoff_reason.credential_not_of_representative": "Nyckeln tillhör inte arbetsgivarens namngivna representant.",
   "signoff_reason.credential_revoked": "Nyckeln var återkallad.",
   "signoff_reason.invalid_signature": "Underskriften stämmer inte med den registrerade nyckeln.",
   "signoff_reason.malformed_assertion": "Underskriftens uppgifter kan inte läsas.",
   "signoff_reason.no_user_presence": "Nyckeln bekräftade inte att undertecknaren var närvarande.",
   "signoff_reason.no_user_verification": "Undertecknaren identifierades inte (PIN-kod eller biometri saknades).",
   "signoff_reason.nonce_already_used": "Engångskoden har redan använts för en annan underskrift.",
   "signoff_reason.nonce_expired": "Engångskoden hade gått ut.",
   "signoff_reason.nonce_not_consumed": "Underskriften kontrollerades inte när den kom in.",
   "signoff_reason.nonce_not_issued_to_device": "Engångskoden utfärdades till en annan enhet.",
   "signoff_reason.representative_inactive": "Representantens konto har inaktiverats.",
   "signoff_reason.unknown_credential": "Nyckeln är inte registrerad.",
   "signoff_reason.unknown_nonce": "Underskriftens engångskod har inte utfärdats av den här servern.",
   "signoff_reason.unsupported_content_version": "Formatet för det undertecknade innehållet är okänt.",
   "signoff_reason.user_handle_mismatch": "Nyckeln angav en annan användare.",
   "signoff_reason.wrong_origin": "Underskriften gjordes på fel adress.",
   "signoff_reason.wrong_rp_id": "Underskriften gjordes för en annan tjänst.",
   "task_result.met": "Uppfyllt",
   "task_result.not_met": "Inte uppfyllt",
   "task_result.partly_met": "Delvis uppfyllt",
   "voucher_status.approved": "Godkänd",
   "voucher_status.eligible": "Berättigad",
   "voucher_status.not_eligible": "Inte ännu berättigad",
   "voucher_status.paid": "Utbetald",
   "voucher_status.rejected": "Avslagen",
   "voucher_status.requested": "Ansökt",
   "vouchers.reason.demonstration_unsigned": "arbetsprovet är inte undertecknat (eller kräver ny underskrift)",
   "vouchers.reason.forbidden": "du har inte rätt att ansöka om sedeln",
   "vouchers.reason.no_employer": "perioden har ingen arbetsgivare",
   "vouchers.reason.no_final_round": "slutbedömningsomgången saknas",
   "vouchers.reason.not_ended": "perioden har inte avslutats (skede avslutad eller uppföljning, och slutdatum)",
   "vouchers.reason.not_your_period": "endast periodens egen coach kan ansöka om sedeln",
   "vouchers.reason.period_gone": "perioden finns inte längre",
   "vouchers.reason.status_approved": "sedeln har redan godkänts",
   "vouchers.reason.status_eligible": "sedeln är redan registrerad som berättigad",
   "vouchers.reason.status_paid": "sedeln har redan betalats",
   "vouchers.reason.status_rejected": "sedeln har redan avslagits",
   "vouchers.reason.status_requested": "sedeln har redan ansökts"
  }
 },
 "records": {
  "coaching_period": {
   "defaults": {
    "phase": "planning"
   },
   "rules": [
    {
     "field": "end_date",
     "id": "end_not_before_start",
     "kind": "not_before",
     "other": "start_date"
    },
    {
     "field": "planned_end_date",
     "id": "planned_end_not_before_start",
     "kind": "not_before",
     "other": "start_date"
    },
    {
     "choices": [
      "follow_up",
      "ended",
      "cancelled"
     ],
     "field": "phase",
     "id": "ended_period_phase",
     "kind": "when_set",
     "when": "end_date"
    },
    {
     "field": "workplace_id",
     "id": "workplace_of_employer",
     "kind": "belongs_to",
     "record": "workplace",
     "same_as": "employer_id",
     "via": "employer_id"
    }
   ]
  },
  "coaching_voucher": {
   "defaults": {},
   "rules": [
    {
     "field": "period_id",
     "id": "unique_coaching_voucher",
     "kind": "unique"
    }
   ]
  },
  "employer": {
   "defaults": {},
   "rules": [
    {
     "field": "business_id",
     "id": "unique_employer",
     "kind": "unique"
    }
   ]
  },
  "employer_contact": {
   "defaults": {
    "adopted_alternative_recruitment": false,
    "informed_of_alternative_recruitment": false
   },
   "rules": [
    {
     "field": "informed_of_alternative_recruitment",
     "id": "adopted_needs_informed",
     "kind": "requires_true",
     "when": "adopted_alternative_recruitment"
    }
   ]
  },
  "event_attendance": {
   "defaults": {
    "attended": true,
    "got_work": false,
    "meetings_held": 0
   },
   "rules": [
    {
     "field": "attended",
     "id": "got_work_needs_attended",
     "kind": "requires_true",
     "when": "got_work"
    },
    {
     "field": "participant_id",
     "id": "unique_event_attendance",
     "kind": "unique",
     "with": [
      "event_id"
     ]
    }
   ]
  },
  "meeting_event_employer": {
   "defaults": {
    "meetings_held": 0
   },
   "rules": [
    {
     "field": "employer_id",
     "id": "unique_meeting_event_employer",
     "kind": "unique",
     "with": [
      "event_id"
     ]
    }
   ]
  },
  "participant": {
   "defaults": {
    "consent_given": false
   },
   "rules": [
    {
     "field": "birth_year",
     "id": "birth_year_age",
     "kind": "min_age",
     "years": 14
    }
   ]
  }
 },
 "satisfaction": {
  "satisfied_from": 4
 },
 "sync": {
  "max_push_batch": 500
 },
 "vocabularies": {
  "alternative_method": [
   "work_demonstration",
   "meeting_event"
  ],
  "area": [
   "competence",
   "work_community",
   "working_life_skills",
   "wellbeing"
  ],
  "contact_kind": [
   "visit",
   "phone",
   "email",
   "meeting_event",
   "other"
  ],
  "demo_result": [
   "passed",
   "partly_passed",
   "not_passed"
  ],
  "demo_status": [
   "draft",
   "ready",
   "signed",
   "needs_new_signoff"
  ],
  "goal_status": [
   "open",
   "achieved",
   "dropped"
  ],
  "measure": [
   "work_trial",
   "subsidised_work",
   "paid_work",
   "apprenticeship",
   "job_coaching",
   "studies"
  ],
  "outcome": [
   "employed_open",
   "employed_subsidised",
   "studies",
   "job_search",
   "other"
  ],
  "phase": [
   "planning",
   "active",
   "follow_up",
   "ended",
   "cancelled"
  ],
  "rater": [
   "participant",
   "employer",
   "work_community",
   "coach"
  ],
  "rating": [
   1,
   2,
   3,
   4,
   5
  ],
  "satisfaction_moment": [
   "end",
   "follow_up_3",
   "follow_up_6"
  ],
  "satisfaction_party": [
   "participant",
   "employer"
  ],
  "signoff_reason": [
   "unknown_nonce",
   "nonce_not_issued_to_device",
   "nonce_already_used",
   "nonce_expired",
   "nonce_not_consumed",
   "unsupported_content_version",
   "content_mismatch",
   "unknown_credential",
   "credential_revoked",
   "representative_inactive",
   "credential_not_of_representative",
   "malformed_assertion",
   "wrong_origin",
   "wrong_rp_id",
   "challenge_mismatch",
   "no_user_presence",
   "no_user_verification",
   "user_handle_mismatch",
   "invalid_signature"
  ],
  "task_result": [
   "met",
   "partly_met",
   "not_met"
  ],
  "voucher_status": [
   "eligible",
   "requested",
   "approved",
   "rejected",
   "paid"
  ]
 },
 "vouchers": {
  "checks": [
   {
    "fact": "employer_id",
    "reason": "no_employer",
    "test": "present"
   },
   {
    "fact": "phase",
    "reason": "not_ended",
    "test": "in",
    "values": [
     "ended",
     "follow_up"
    ]
   },
   {
    "fact": "end_date",
    "reason": "not_ended",
    "test": "present"
   },
   {
    "fact": "final_rounds",
    "reason": "no_final_round",
    "test": "positive"
   },
   {
    "fact": "unsigned_demonstrations",
    "reason": "demonstration_unsigned",
    "test": "zero"
   }
  ],
  "transitions": {
   "approved": [
    "paid"
   ],
   "eligible": [
    "requested"
   ],
   "paid": [],
   "rejected": [],
   "requested": [
    "approved",
    "rejected"
   ]
  }
 }
};
