//! A case as read: parties (identity numbers masked), violations with their law and
//! ranges, the people in each duty, the 90-day clock, the money owed today, every
//! step and document, and the steps the reader may take now.

use super::catalogue::{self, stage_zh};
use super::domain::{self, Clock, Decision, Duty, Step};
use super::json::{CaseResponse, CaseStepView, DocumentView, DutyHolder, PartyView, ViolationView};
use super::{documents, policy, rules};
use crate::auth::CurrentUser;
use crate::entities::{case, case_party, case_step, case_violation, user};
use crate::error::AppResult;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// The last four characters of an identity number, the rest masked.
pub fn mask(id: &str) -> String {
    let n = id.chars().count();
    id.chars().enumerate().map(|(i, c)| if i + 4 < n { '*' } else { c }).collect()
}

/// The 90-day clock, while it runs.
pub fn clock_of(c: &case::Model, today: NaiveDate) -> AppResult<Option<Clock>> {
    clock_at(c.filed_on, c.status, c.time_limit_days, today)
}

/// The clock from the three columns it reads (the list selects only those).
pub fn clock_at(
    filed_on: Option<NaiveDate>,
    status: domain::CaseStatus,
    limit_days: i32,
    today: NaiveDate,
) -> AppResult<Option<Clock>> {
    let warn = &rules::rules()?.time_limit.warn_at_days;
    Ok(filed_on.filter(|_| domain::clock_runs(status)).map(|filed| domain::clock(filed, limit_days, warn, today)))
}

/// The measures proposed in the latest 案件处理呈批.
pub fn measures(steps: &[case_step::Model]) -> Vec<String> {
    steps
        .iter()
        .rev()
        .find(|s| s.step == Step::Report)
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s.body).ok())
        .and_then(|b| serde_json::from_value(b["measures"].clone()).ok())
        .unwrap_or_default()
}

/// Whether the decision needs the 负责人's collective discussion: marked complex, or a
/// fine at the threshold, or a measure beyond a fine.
pub fn needs_discussion(c: &case::Model) -> AppResult<bool> {
    let r = rules::rules()?;
    Ok(c.complex || (c.decision == Some(Decision::Penalty) && c.fine_total_yuan >= r.collective.fine_from_yuan))
}

pub async fn user_names<C: ConnectionTrait>(db: &C, ids: Vec<i64>) -> AppResult<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::DisplayName])
        .filter(user::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

fn violation_view(v: case_violation::Model, parties: &[case_party::Model]) -> AppResult<ViolationView> {
    let data = catalogue::data()?;
    let entry = data.entry(&v.catalogue_code);
    let party = parties.iter().find(|p| p.position == v.party_position);
    let fine = entry.zip(party).and_then(|(e, p)| e.fine(super::service::fine_party(p.kind, p.role), &v.stage));
    let step_label = entry.zip(party).zip(v.step_code.as_deref()).and_then(|((e, p), code)| {
        data.benchmark(&e.code, super::service::fine_party(p.kind, p.role), &v.stage)
            .and_then(|b| b.steps.iter().find(|s| s.code == code))
            .map(|s| s.label.clone())
    });
    Ok(ViolationView {
        id: v.id,
        party_position: v.party_position,
        citation: entry.map_or_else(|| v.catalogue_code.clone(), |e| data.citation(e)),
        conduct: entry.map(|e| e.conduct.clone()).unwrap_or_default(),
        verified: entry.is_some_and(|e| e.verified),
        daily_penalty: entry.is_some_and(|e| e.daily_penalty),
        stage_label: stage_zh(&v.stage).to_owned(),
        statutory_text: fine.map(catalogue::Fine::text).unwrap_or_default(),
        catalogue_code: v.catalogue_code,
        stage: v.stage,
        act: v.act,
        step_code: v.step_code,
        step_label,
        fine_yuan: v.fine_yuan,
        reason: v.reason,
        mitigation: v.mitigation,
        outside_step: v.outside_step,
    })
}

fn duties(c: &case::Model, names: &HashMap<i64, String>) -> Vec<DutyHolder> {
    let mut out = Vec::new();
    let mut add = |duty: Duty, id: Option<i64>| {
        if let Some(id) = id.filter(|id| !out.iter().any(|d: &DutyHolder| d.duty == duty && d.user_id == *id)) {
            let name = names.get(&id).cloned().unwrap_or_default();
            out.push(DutyHolder { duty, duty_label: duty.zh().to_owned(), user_id: id, name });
        }
    };
    add(Duty::Handler, Some(c.handler_id));
    add(Duty::Handler, c.co_handler_id);
    add(Duty::Reviewer, c.reviewer_id);
    add(Duty::HearingOfficer, c.hearing_officer_id);
    add(Duty::Approver, c.filed_by);
    add(Duty::Approver, c.decided_by);
    out
}

/// The steps `user` may take now (role, duty, separation and the status).
pub fn allowed(user: &CurrentUser, c: &case::Model) -> Vec<Step> {
    Step::ALL
        .iter()
        .copied()
        .filter(|s| domain::next(c.status, *s).is_some() && policy::check(user, c, *s).is_ok())
        .filter(|s| match s {
            Step::Notify => c.decision == Some(Decision::Penalty),
            Step::HearingRequest => c.hearing_right,
            Step::Pay | Step::Instalment | Step::Enforce => {
                c.decision == Some(Decision::Penalty) && c.fine_total_yuan > 0
            }
            Step::Publish => super::publication::publishable(c) && c.published_at.is_none(),
            Step::DailyPenalty => super::publication::publishable(c),
            _ => true,
        })
        .collect()
}

#[allow(clippy::too_many_lines)] // the response, field by field
/// The whole case for `user` (already known to be in scope).
pub async fn response<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    c: case::Model,
    today: NaiveDate,
) -> AppResult<CaseResponse> {
    let (violations, parties) = super::proposal::parts(db, c.id).await?;
    let steps = case_step::Entity::find()
        .filter(case_step::Column::CaseId.eq(c.id))
        .order_by_asc(case_step::Column::Id)
        .all(db)
        .await?;
    let docs = documents::of_case(db, c.id).await?;
    let mut files: HashMap<i64, Vec<crate::attachment::json::AttachmentResponse>> = HashMap::new();
    for a in crate::attachment::owner::of_owner(db, crate::attachment::owner::OwnerType::Case, c.id).await? {
        if let Some(step) = a.step_id {
            files.entry(step).or_default().push(crate::attachment::json::AttachmentResponse::for_viewer(a, user));
        }
    }
    let mut ids: Vec<i64> = steps.iter().map(|s| s.actor_id).collect();
    ids.extend(
        [Some(c.handler_id), c.co_handler_id, c.reviewer_id, c.hearing_officer_id, c.filed_by, c.decided_by]
            .into_iter()
            .flatten(),
    );
    ids.sort_unstable();
    ids.dedup();
    let names = user_names(db, ids).await?;
    let templates = documents::templates()?;
    let publication_due = match c.decided_on {
        Some(d) if super::publication::publishable(&c) && c.published_at.is_none() && c.revoked_on.is_none() => {
            Some(super::publication::due(&crate::calendar::load(db).await?, d)?)
        }
        _ => None,
    };
    Ok(CaseResponse {
        id: c.id,
        bureau_id: c.bureau_id,
        number: documents::case_number(&docs),
        procedure: c.procedure,
        procedure_label: c.procedure.zh().to_owned(),
        status: c.status,
        status_label: c.status.zh().to_owned(),
        facts: c.facts.clone(),
        complex: c.complex,
        inspection_id: c.inspection_id,
        hazard_ids: c.hazard_ids.split(',').filter_map(|s| s.parse().ok()).collect(),
        violations: violations.into_iter().map(|v| violation_view(v, &parties)).collect::<AppResult<_>>()?,
        parties: parties
            .into_iter()
            .map(|p| PartyView {
                position: p.position,
                kind: p.kind,
                kind_label: p.kind.zh().to_owned(),
                role: p.role,
                role_label: p.role.zh().to_owned(),
                enterprise_id: p.enterprise_id,
                name: p.name,
                id_number_masked: p.id_number.as_deref().map(mask),
            })
            .collect(),
        duties: duties(&c, &names),
        filed_on: c.filed_on,
        clock: clock_of(&c, today)?,
        hearing_right: c.hearing_right,
        notified_on: c.notified_on,
        statement_until: c.statement_until,
        discussed: c.discussed,
        needs_discussion: needs_discussion(&c)?,
        decision: c.decision,
        decided_on: c.decided_on,
        served_on: c.served_on,
        money: super::money::money(&c, today)?,
        closed_on: c.closed_on,
        published_at: c.published_at,
        publication_due,
        revoked_on: c.revoked_on,
        withdrawn_at: c.withdrawn_at,
        origin_case_id: c.origin_case_id,
        steps: steps
            .into_iter()
            .map(|s| CaseStepView {
                id: s.id,
                step: s.step,
                step_label: s.step.zh().to_owned(),
                actor_id: s.actor_id,
                actor_name: names.get(&s.actor_id).cloned().unwrap_or_default(),
                at: s.at,
                from_status: s.from_status,
                to_status: s.to_status,
                body: serde_json::from_str(&s.body).unwrap_or_default(),
                attachments: files.remove(&s.id).unwrap_or_default(),
            })
            .collect(),
        documents: docs
            .into_iter()
            .map(|d| DocumentView {
                id: d.id,
                kind: d.kind,
                title: templates
                    .documents
                    .get(d.kind.as_str())
                    .map_or_else(|| d.kind.zh().to_owned(), |t| t.title.clone()),
                number: d.number,
                step_id: d.step_id,
                issued_at: d.issued_at,
            })
            .collect(),
        allowed_actions: allowed(user, &c),
        version: c.version,
    })
}
