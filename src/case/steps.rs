//! The steps of a case (`POST /api/v1/cases/{id}/{step}`): each is checked in order
//! — 404 outside the scope, 403 for the wrong person, 409 `separation_of_duties`,
//! 409 `illegal_transition` for the wrong moment, 409 for what the record says
//! (a period still running, money owed), then 422 listing every problem with the
//! body — and then recorded: the case row, a step row with what was recorded, the
//! step's numbered documents and the audit entries, in one transaction.

use super::domain::{self, CaseDocument, CaseStatus, Decision, Step};
use super::json::StepBody;
use super::service::{MAX_NOTE, push};
use super::{documents, policy, rules};
use crate::audit;
use crate::auth::CurrentUser;
use crate::entities::{case, case_step};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::write::Tx;
use chrono::{Duration, NaiveDate};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::{Value, json};

/// What a step did: the status it leaves, the documents it issues, what it recorded.
pub(super) struct Outcome {
    pub to: CaseStatus,
    pub documents: Vec<CaseDocument>,
    pub record: Value,
}

/// The context of one step.
pub(super) struct Ctx<'a> {
    pub tx: &'a Tx,
    pub user: &'a CurrentUser,
    pub case: &'a case::Model,
    pub body: &'a StepBody,
    pub today: NaiveDate,
    pub on: NaiveDate,
    pub to: CaseStatus,
    pub step: Step,
}

fn required_note(b: &StepBody, f: &mut FieldErrors, what: &str) {
    if b.note.trim().is_empty() {
        push(f, "note", format!("请填写{what}"));
    }
}

fn simple(c: &Ctx<'_>, f: &mut FieldErrors, what: Option<&str>) -> Outcome {
    if let Some(what) = what {
        required_note(c.body, f, what);
    }
    Outcome { to: c.to, documents: c.own_document(), record: json!({"note": c.body.note.trim()}) }
}

impl Ctx<'_> {
    /// The document the step issues, if one.
    fn own_document(&self) -> Vec<CaseDocument> {
        self.step.document().into_iter().collect()
    }
}

/// The steps that may carry files.
const WITH_FILES: [Step; 5] = [Step::Investigate, Step::Statement, Step::Hearing, Step::Serve, Step::Discuss];

/// Takes `step` on case `id`.
pub async fn act(tx: &Tx, user: &CurrentUser, id: i64, step: Step, body: &StepBody) -> AppResult<()> {
    if !user.is_bureau_user() {
        return Err(AppError::NotFound);
    }
    let c = crate::scope::get::<case::Entity, _>(tx, &user.scope, id).await?;
    policy::check(user, &c, step)?;
    tx.touch(crate::write::Touched::Cases);
    let Some(to) = domain::next(c.status, step) else {
        return Err(AppError::conflict(
            "illegal_transition",
            format!("案件当前为“{}”，不能办理“{}”", c.status.zh(), step.zh()),
        ));
    };
    let today = crate::clock::china_date(tx.now());
    let on = body.on.unwrap_or(today);
    let mut f = FieldErrors::new();
    if on > today {
        push(&mut f, "on", "日期不能晚于今天");
    }
    crate::limits::check(&mut f, "note", "说明", Some(&body.note), MAX_NOTE);
    crate::limits::check_list(&mut f, "attachment_ids", "附件", &body.attachment_ids, crate::limits::LIST);
    if !body.attachment_ids.is_empty() && !WITH_FILES.contains(&step) {
        push(&mut f, "attachment_ids", format!("“{}”不附文件", step.zh()));
    }
    let cx = Ctx { tx, user, case: &c, body, today, on, to, step };
    let mut m: case::ActiveModel = c.clone().into();
    let outcome = run(&cx, &mut m, &mut f).await?;
    if !f.is_empty() {
        return Err(AppError::Validation(f));
    }
    record(tx, user, &c, m, step, outcome, &body.attachment_ids).await
}

#[allow(clippy::too_many_lines)] // one arm per step of the procedure
async fn run(c: &Ctx<'_>, m: &mut case::ActiveModel, f: &mut FieldErrors) -> AppResult<Outcome> {
    let rule = rules::rules()?;
    Ok(match c.step {
        Step::File => {
            m.filed_by = Set(Some(c.user.id));
            m.filed_on = Set(Some(c.on));
            simple(c, f, None)
        }
        Step::Decline => simple(c, f, Some("不予立案的理由")),
        Step::Investigate => {
            required_note(c.body, f, "笔录内容摘要");
            let kind = c.body.record.filter(|k| matches!(k, CaseDocument::InquiryRecord | CaseDocument::EvidenceList));
            if kind.is_none() {
                push(f, "record", "请选择取证文书：询问笔录或勘验笔录");
            }
            Outcome {
                to: c.to,
                documents: kind.into_iter().collect(),
                record: json!({"record": kind, "note": c.body.note.trim()}),
            }
        }
        Step::Report => super::proposal::report(c, m, f).await?,
        Step::Notify => notify(c, m).await?,
        Step::Statement => {
            required_note(c.body, f, "陈述申辩的内容（或当事人放弃的意思表示）");
            simple_with(c, json!({"note": c.body.note.trim(), "waive": c.body.waive}))
        }
        Step::HearingRequest => super::rights::hearing_request(c, m, f).await?,
        Step::Hearing => simple(c, f, Some("听证笔录摘要")),
        Step::Review => super::rights::review(c, m, f).await?,
        Step::Discuss => {
            required_note(c.body, f, "讨论记录");
            if c.body.participants.iter().filter(|p| !p.trim().is_empty()).count() < 3 {
                push(f, "participants", "集体讨论应至少记录三名参加人员");
            }
            crate::limits::check_list(f, "participants", "参加人员", &c.body.participants, 30);
            for (i, p) in c.body.participants.iter().enumerate().take(30) {
                crate::limits::check(f, &format!("participants[{i}]"), "参加人员", Some(p), 100);
            }
            m.discussed = Set(true);
            let mut out = simple(c, f, None);
            out.record = json!({"note": c.body.note.trim(), "participants": c.body.participants});
            out
        }
        Step::Decide => decide(c, m)?,
        Step::Serve => {
            let method = c.body.method.as_deref().map(str::trim).filter(|s| !s.is_empty());
            if method.is_none() {
                push(f, "method", "请填写送达方式");
            }
            crate::limits::check(f, "method", "送达方式", method, 50);
            m.served_on = Set(Some(c.on));
            if c.case.decision == Some(Decision::Penalty) && c.case.fine_total_yuan > 0 {
                m.payment_due = Set(Some(c.on + Duration::days(rule.payment.days)));
            }
            let mut out = simple(c, f, None);
            out.record = json!({"method": method, "on": c.on, "note": c.body.note.trim()});
            out
        }
        Step::Pay => super::money::pay(c, m, f)?,
        Step::Instalment => super::money::instalment(c, m, f),
        Step::Enforce => super::money::enforce(c, f)?,
        Step::Transfer => {
            let to = c.body.to.as_deref().map(str::trim).filter(|s| !s.is_empty());
            if to.is_none() {
                push(f, "to", "请填写移送机关");
            }
            crate::limits::check(f, "to", "移送机关", to, 100);
            let mut out = simple(c, f, Some("涉嫌犯罪的事实和移送理由"));
            out.record = json!({"to": to, "note": c.body.note.trim()});
            out
        }
        Step::Extend => {
            match c.body.days {
                Some(days @ 1..=60) => m.time_limit_days = Set(c.case.time_limit_days + days),
                _ => push(f, "days", "请填写延长的天数（1 到 60 天）"),
            }
            let mut out = simple(c, f, Some("延期理由"));
            out.record = json!({"days": c.body.days, "note": c.body.note.trim()});
            out
        }
        Step::Publish => super::publication::publish(c, m)?,
        Step::Revoke => super::publication::revoke(c, m, f),
        Step::DailyPenalty => super::escalation::daily_penalty(c, f).await?,
        Step::Close => {
            super::money::check_settled(c)?;
            m.closed_on = Set(Some(c.on));
            simple(c, f, None)
        }
    })
}

fn simple_with(c: &Ctx<'_>, record: Value) -> Outcome {
    Outcome { to: c.to, documents: c.own_document(), record }
}

async fn notify(c: &Ctx<'_>, m: &mut case::ActiveModel) -> AppResult<Outcome> {
    if c.case.decision != Some(Decision::Penalty) {
        return Err(AppError::conflict("not_a_penalty", "拟不予处罚的案件不需要事先告知，请直接送法制审核"));
    }
    let r = rules::rules()?;
    let cal = crate::calendar::load(c.tx).await?;
    let until = cal.add_working_days(c.on, r.statement.working_days).date;
    m.notified_on = Set(Some(c.on));
    m.statement_until = Set(Some(until));
    let mut documents = vec![CaseDocument::PriorNotice];
    if c.case.hearing_right {
        documents.push(CaseDocument::HearingNotice);
    }
    Ok(Outcome {
        to: c.to,
        documents,
        record: json!({"on": c.on, "statement_until": until, "note": c.body.note.trim()}),
    })
}

fn decide(c: &Ctx<'_>, m: &mut case::ActiveModel) -> AppResult<Outcome> {
    let needs = super::view::needs_discussion(c.case)?;
    if needs && !c.case.discussed {
        return Err(AppError::conflict(
            "collective_discussion_required",
            "本案属于情节复杂或者重大违法行为给予较重处罚的案件，须先经负责人集体讨论",
        ));
    }
    m.decided_by = Set(Some(c.user.id));
    m.decided_on = Set(Some(c.on));
    let kind = match (c.case.decision, c.case.origin_case_id) {
        (Some(Decision::NoPenalty), _) => CaseDocument::NoPenaltyDecision,
        (_, Some(_)) => CaseDocument::DailyPenaltyDecision,
        _ => CaseDocument::PenaltyDecision,
    };
    Ok(Outcome {
        to: c.to,
        documents: vec![kind],
        record: json!({"decision": c.case.decision, "note": c.body.note.trim()}),
    })
}

async fn record(
    tx: &Tx,
    user: &CurrentUser,
    before: &case::Model,
    mut m: case::ActiveModel,
    step: Step,
    o: Outcome,
    files: &[i64],
) -> AppResult<()> {
    m.status = Set(o.to);
    m.updated_at = Set(tx.now());
    m.version = Set(before.version + 1);
    let row = m.update(tx).await?;
    let s = case_step::ActiveModel {
        case_id: Set(row.id),
        step: Set(step),
        actor_id: Set(user.id),
        at: Set(tx.now()),
        from_status: Set(before.status),
        to_status: Set(o.to),
        body: Set(o.record.to_string()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    for kind in o.documents {
        documents::issue(tx, &row, Some(s.id), kind).await?;
    }
    let owner = crate::attachment::owner::Owner::case(row.id, Some(s.id));
    crate::attachment::owner::claim(tx, user, files, owner, "evidence", "attachment_ids").await?;
    audit::record(tx, tx.ctx(), step.as_str(), &row).await?;
    audit::record(tx, tx.ctx(), "create", &s).await?;
    if let Some(e) = row.enterprise_id.filter(|_| step == Step::Decide && row.decision == Some(Decision::Penalty)) {
        super::escalation::alert(tx, tx.now(), Some(e)).await?;
    }
    Ok(())
}

/// The on-the-spot decision of a simple-procedure case (its creation's step).
pub async fn decide_on_the_spot(tx: &Tx, user: &CurrentUser, c: &case::Model) -> AppResult<()> {
    let s = case_step::ActiveModel {
        case_id: Set(c.id),
        step: Set(Step::Decide),
        actor_id: Set(user.id),
        at: Set(tx.now()),
        from_status: Set(CaseStatus::Decided),
        to_status: Set(CaseStatus::Decided),
        body: Set(json!({"procedure": "simple", "fine_total_yuan": c.fine_total_yuan}).to_string()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    documents::issue(tx, c, Some(s.id), CaseDocument::SimpleDecision).await?;
    audit::record(tx, tx.ctx(), "create", &s).await?;
    Ok(())
}
