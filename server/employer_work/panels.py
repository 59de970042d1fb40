"""Recruitment interview panels (seed 000): clients and staff assess candidates."""

from collections import defaultdict

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import func, select

from server.auth.session import roles_required
from server.employer_work.blueprint import bp
from server.employer_work.panel_forms import (
    TEXT_MAX,
    composition_error,
    read_new_panel,
    read_rating,
)
from server.extensions import db, htmx
from server.i18n import translate
from server.models import PanelAssessment, PanelCandidate, Panelist, RecruitmentPanel
from server.pages import paginate, render_page


def _panel(panel_id: str) -> RecruitmentPanel:
    panel = db.session.get(RecruitmentPanel, panel_id)
    if panel is None or panel.deleted or panel.organization_id != g.user.organization_id:
        abort(404)
    return panel


@bp.get("/panels/")
@roles_required("supervisor")
def list_panels():
    members = (
        select(
            Panelist.panel_id,
            func.count(Panelist.id).label("members"),
        )
        .where(Panelist.deleted.is_(False))
        .group_by(Panelist.panel_id)
        .subquery()
    )
    query = (
        select(RecruitmentPanel, func.coalesce(members.c.members, 0))
        .outerjoin(members, members.c.panel_id == RecruitmentPanel.id)
        .where(
            RecruitmentPanel.organization_id == g.user.organization_id,
            RecruitmentPanel.deleted.is_(False),
        )
        .order_by(RecruitmentPanel.held_on.desc(), RecruitmentPanel.id)
    )
    page = paginate(query, scalars=False)
    return render_page(
        "employer_work/panels.html", "employer_work/_panels_results.html", page=page, query_args={}
    )


@bp.get("/panels/new")
@roles_required("supervisor")
def new_panel():
    return render_template("employer_work/panel_new.html", values={}, errors={})


@bp.post("/panels/")
@roles_required("supervisor")
def create_panel():
    values, errors = read_new_panel(request.form)
    if errors:
        form = {
            k: request.form.get(k, "")
            for k in ("position_title", "held_on", "clients", "staff", "candidates")
        }
        return render_template("employer_work/panel_new.html", values=form, errors=errors), 422
    panel = RecruitmentPanel(
        organization_id=g.user.organization_id,
        position_title=values["position_title"],
        held_on=values["held_on"],
        created_by_id=g.user.id,
    )
    db.session.add(panel)
    db.session.flush()
    for kind, names in (("client", values["clients"]), ("staff", values["staff"])):
        for name in names:
            db.session.add(
                Panelist(panel_id=panel.id, name=name, kind=kind, created_by_id=g.user.id)
            )
    for name in values["candidates"]:
        db.session.add(PanelCandidate(panel_id=panel.id, name=name, created_by_id=g.user.id))
    db.session.commit()
    flash(translate("panels.created"), "info")
    return redirect(url_for("employer_work.show_panel", panel_id=panel.id))


def _panel_context(panel: RecruitmentPanel, errors: dict | None = None) -> dict:
    panelists = db.session.scalars(
        select(Panelist)
        .where(Panelist.panel_id == panel.id, Panelist.deleted.is_(False))
        .order_by(Panelist.kind, Panelist.name)
    ).all()
    candidates = db.session.scalars(
        select(PanelCandidate)
        .where(PanelCandidate.panel_id == panel.id, PanelCandidate.deleted.is_(False))
        .order_by(PanelCandidate.name)
    ).all()
    grid: dict[tuple[str, str], PanelAssessment] = {}
    ratings: dict[str, list[int]] = defaultdict(list)
    for a in db.session.scalars(
        select(PanelAssessment)
        .where(PanelAssessment.panel_id == panel.id, PanelAssessment.deleted.is_(False))
        .order_by(PanelAssessment.created_at)
    ):
        grid[(a.candidate_id, a.panelist_id)] = a
        ratings[a.candidate_id].append(a.rating)
    averages = {cid: round(sum(r) / len(r), 2) for cid, r in ratings.items()}
    return {
        "panel": panel,
        "panelists": panelists,
        "candidates": candidates,
        "grid": grid,
        "averages": averages,
        "composition_error": composition_error([p.kind for p in panelists]),
        "errors": errors or {},
        "form": request.form if request.method == "POST" else {},
    }


@bp.get("/panels/<panel_id>")
@roles_required("supervisor")
def show_panel(panel_id: str):
    return render_template("employer_work/panel.html", **_panel_context(_panel(panel_id)))


def _refuse(panel, errors: dict, status: int = 422):
    context = _panel_context(panel, errors)
    return render_page(
        "employer_work/panel.html", "employer_work/_panel_body.html", code=status, **context
    )


@bp.post("/panels/<panel_id>/assessments")
@roles_required("supervisor")
def add_assessment(panel_id: str):
    panel = _panel(panel_id)
    panelist = db.session.get(Panelist, request.form.get("panelist_id") or "")
    candidate = db.session.get(PanelCandidate, request.form.get("candidate_id") or "")
    rating = read_rating(request.form.get("rating"))
    comment = (request.form.get("comment") or "").strip()
    errors = {}
    if panelist is None or panelist.panel_id != panel.id or panelist.deleted:
        errors["panelist_id"] = translate("panels.error.panelist")
    if candidate is None or candidate.panel_id != panel.id or candidate.deleted:
        errors["candidate_id"] = translate("panels.error.candidate")
    if rating is None:
        errors["rating"] = translate("panels.error.rating")
    if len(comment) > TEXT_MAX:
        errors["comment"] = translate("panels.error.text_long", max=TEXT_MAX)
    if errors:
        return _refuse(panel, errors)
    duplicate = db.session.scalar(
        select(PanelAssessment.id).where(
            PanelAssessment.panelist_id == panelist.id,
            PanelAssessment.candidate_id == candidate.id,
            PanelAssessment.deleted.is_(False),
        )
    )
    if duplicate:
        return _refuse(panel, {"rating": translate("panels.error.already_assessed")}, 409)
    db.session.add(
        PanelAssessment(
            panel_id=panel.id,
            panelist_id=panelist.id,
            candidate_id=candidate.id,
            rating=rating,
            comment=comment or None,
            created_by_id=g.user.id,
        )
    )
    db.session.commit()
    return _done(panel, "panels.assessed")


def _done(panel: RecruitmentPanel, key: str):
    if htmx:
        return render_page(
            "employer_work/panel.html", "employer_work/_panel_body.html", **_panel_context(panel)
        )
    flash(translate(key), "info")
    return redirect(url_for("employer_work.show_panel", panel_id=panel.id))


@bp.post("/panels/<panel_id>/decision")
@roles_required("supervisor")
def record_decision(panel_id: str):
    panel = _panel(panel_id)
    context = _panel_context(panel)
    if context["composition_error"]:
        return _refuse(panel, {"panelists": context["composition_error"]})
    decision = (request.form.get("decision") or "").strip()
    chosen = set(request.form.getlist("chosen"))
    candidate_ids = {c.id for c in context["candidates"]}
    errors = {}
    if not decision:
        errors["decision"] = translate("panels.error.required")
    elif len(decision) > TEXT_MAX:
        errors["decision"] = translate("panels.error.text_long", max=TEXT_MAX)
    if not chosen <= candidate_ids:
        errors["chosen"] = translate("panels.error.candidate")
    if errors:
        return _refuse(panel, errors)
    panel.decision = decision
    panel.updated_by_id = g.user.id
    for candidate in context["candidates"]:
        if candidate.chosen != (candidate.id in chosen):
            candidate.chosen = candidate.id in chosen
            candidate.updated_by_id = g.user.id
    db.session.commit()
    return _done(panel, "panels.decided")
