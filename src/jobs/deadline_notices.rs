//! The to-dos and mails of the deadline notices a run has claimed, 500
//! hazards at a time. To-dos are written by one `INSERT INTO todos … SELECT …
//! FROM hazards … ON CONFLICT (dedupe_key) DO NOTHING` per audience, so a run
//! over a backlog of a hundred thousand overdue hazards is a few hundred
//! statements, not a row-by-row loop. Mails are rendered only for the hazards
//! whose recipients have an address.
//!
//! Keys: `hazard:{id}:{step}:{deadline}:{i}`, `i` numbering the recipients of
//! the step (0 principal, 1 safety officer, 2 regulators for `overdue`; 0 for
//! the single audience of `escalated`, `review_pending`, `check_late` and
//! `assign_late`); a mail's key adds the address. A to-do is due on the
//! deadline it reminds of, or on the day of the run for a late step.

use crate::audit::AuditCtx;
use crate::auth::Role;
use crate::entities::{bureau, hazard};
use crate::error::AppResult;
use crate::hazard::notify::{context, link};
use crate::mail::Kind;
use crate::todo::Assignee;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Value};
use std::collections::HashMap;

/// Who hears of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Audience {
    /// The enterprise's principal (`i` = 0) and safety officer (`i` = 1).
    Enterprise,
    /// Regulators of the supervising bureau, for hazards the bureau closes.
    BureauClosed,
    /// Regulators of the supervising bureau.
    Regulators,
    /// Regulators of the bureau above the supervising one.
    ParentRegulators,
}

struct Recipient {
    audience: Audience,
    todo_kind: &'static str,
    mail: Kind,
    title: &'static str,
}

const fn to(audience: Audience, todo_kind: &'static str, mail: Kind, title: &'static str) -> Recipient {
    Recipient { audience, todo_kind, mail, title }
}

fn recipients(step: &str) -> Vec<Recipient> {
    use Audience::{BureauClosed, Enterprise, ParentRegulators, Regulators};
    match step {
        "due_soon" => vec![to(Enterprise, "hazard_due_soon", Kind::HazardDueSoon, "整改即将到期")],
        "overdue" => vec![
            to(Enterprise, "hazard_overdue", Kind::HazardOverdue, "整改已逾期"),
            to(BureauClosed, "hazard_overdue", Kind::HazardOverdueRegulator, "隐患整改逾期"),
        ],
        "escalated" => vec![to(ParentRegulators, "hazard_escalated", Kind::HazardEscalated, "重大隐患逾期未整改")],
        "check_late" => vec![to(Regulators, "hazard_check_late", Kind::HazardCheckLate, "举报线索核查超期")],
        "assign_late" => vec![to(Regulators, "hazard_assign_late", Kind::HazardAssignLate, "重大隐患待交办超期")],
        "plan_late" => vec![to(Enterprise, "hazard_plan_late", Kind::HazardPlanLate, "治理方案逾期未制定")],
        _ => vec![to(Regulators, "hazard_review_pending", Kind::HazardReviewPending, "重大隐患待现场审查超期")],
    }
}

/// `$first, $first+1, …` for the ids.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// One set-based statement writing the to-dos of one audience for a chunk of hazards.
async fn insert_todos<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    step: &str,
    r: &Recipient,
    ids: &[i64],
) -> AppResult<()> {
    let key = "'hazard:' || CAST(h.id AS TEXT) || ':' || $3 || ':' || COALESCE(CAST(h.deadline AS TEXT), '') || ':'";
    let title = "$2 || h.title || '（' || COALESCE(e.name, '未登记主体') || '）'";
    let (columns, who, index, from) = match r.audience {
        Audience::Enterprise => (
            "enterprise_id, role",
            "h.enterprise_id, r.role",
            "r.i",
            "hazards h JOIN enterprises e ON e.id = h.enterprise_id \
             CROSS JOIN (SELECT 'principal' AS role, '0' AS i UNION ALL SELECT 'safety_officer', '1') r",
        ),
        Audience::ParentRegulators => (
            "bureau_id, role",
            "b.parent_id, 'regulator'",
            "'0'",
            "hazards h LEFT JOIN enterprises e ON e.id = h.enterprise_id JOIN bureaus b ON b.id = h.bureau_id",
        ),
        Audience::Regulators | Audience::BureauClosed => (
            "bureau_id, role",
            "h.bureau_id, 'regulator'",
            if r.audience == Audience::BureauClosed { "'2'" } else { "'0'" },
            "hazards h LEFT JOIN enterprises e ON e.id = h.enterprise_id",
        ),
    };
    let only = match r.audience {
        Audience::BureauClosed => " AND h.closure <> 'enterprise'",
        Audience::ParentRegulators => " AND b.parent_id IS NOT NULL",
        _ => "",
    };
    // A reminder of a deadline is due on it; a late step's reminder is due now.
    let of_deadline = matches!(step, "due_soon" | "overdue" | "escalated");
    let due = if of_deadline { "h.deadline" } else { "$5" };
    let sql = format!(
        "INSERT INTO todos ({columns}, kind, title, link, dedupe_key, created_at, due_on) \
         SELECT {who}, $1, {title}, '/hazards/' || CAST(h.id AS TEXT), {key} || {index}, $4, {due} \
         FROM {from} WHERE h.id IN ({}){only} ON CONFLICT (dedupe_key) DO NOTHING",
        placeholders(if of_deadline { 5 } else { 6 }, ids.len())
    );
    let mut values: Vec<Value> =
        vec![r.todo_kind.into(), format!("{}：", r.title).into(), step.to_owned().into(), ctx.at.into()];
    if !of_deadline {
        values.push(crate::clock::china_date(ctx.at).into());
    }
    values.extend(ids.iter().map(|&id| Value::from(id)));
    db.execute_raw(crate::db::raw(db.get_database_backend(), &sql, values)).await?;
    Ok(())
}

/// The assignments of one audience for a hazard, with their numbers in the key.
fn assignees(a: Audience, h: &Brief, parent: &HashMap<i64, i64>) -> Vec<(u8, Assignee)> {
    match a {
        Audience::Enterprise => h.enterprise_id.map_or_else(Vec::new, |e| {
            vec![
                (0, Assignee::EnterpriseRole(e, Role::Principal)),
                (1, Assignee::EnterpriseRole(e, Role::SafetyOfficer)),
            ]
        }),
        Audience::BureauClosed if h.closure == "enterprise" => Vec::new(),
        Audience::BureauClosed => vec![(2, Assignee::BureauRole(h.bureau_id, Role::Regulator))],
        Audience::Regulators => vec![(0, Assignee::BureauRole(h.bureau_id, Role::Regulator))],
        Audience::ParentRegulators => {
            parent.get(&h.bureau_id).map(|p| vec![(0, Assignee::BureauRole(*p, Role::Regulator))]).unwrap_or_default()
        }
    }
}

/// What deciding the recipients needs of a hazard.
struct Brief {
    id: i64,
    enterprise_id: Option<i64>,
    bureau_id: i64,
    closure: String,
}

async fn briefs<C: ConnectionTrait>(db: &C, ids: &[i64]) -> AppResult<Vec<Brief>> {
    Ok(hazard::Entity::find()
        .select_only()
        .columns([hazard::Column::Id, hazard::Column::EnterpriseId, hazard::Column::BureauId, hazard::Column::Closure])
        .filter(hazard::Column::Id.is_in(ids.iter().copied()))
        .into_tuple::<(i64, Option<i64>, i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, enterprise_id, bureau_id, closure)| Brief { id, enterprise_id, bureau_id, closure })
        .collect())
}

/// The bureau above each hazard's bureau.
async fn parents<C: ConnectionTrait>(db: &C, briefs: &[Brief]) -> AppResult<HashMap<i64, i64>> {
    let bureaus: Vec<i64> = briefs.iter().map(|b| b.bureau_id).collect();
    Ok(bureau::Entity::find()
        .filter(bureau::Column::Id.is_in(bureaus))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|b| Some((b.id, b.parent_id?)))
        .collect())
}

/// Mails for the hazards of a chunk whose recipients have an address.
async fn mails<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    step: &str,
    recipients: &[Recipient],
    ids: &[i64],
) -> AppResult<()> {
    let briefs = briefs(db, ids).await?;
    let parent = if recipients.iter().any(|r| r.audience == Audience::ParentRegulators) {
        parents(db, &briefs).await?
    } else {
        HashMap::new()
    };
    // (hazard, recipient, number, assignment)
    let mut wanted: Vec<(i64, usize, u8, Assignee)> = Vec::new();
    for b in &briefs {
        for (ri, r) in recipients.iter().enumerate() {
            for (i, a) in assignees(r.audience, b, &parent) {
                wanted.push((b.id, ri, i, a));
            }
        }
    }
    let all: Vec<Assignee> = wanted.iter().map(|w| w.3.clone()).collect();
    let addresses = crate::notice::addresses_of(db, &all).await?;
    wanted.retain(|w| addresses.get(&format!("{:?}", w.3)).is_some_and(|a| !a.is_empty()));
    if wanted.is_empty() {
        return Ok(());
    }
    let mut with_mail: Vec<i64> = wanted.iter().map(|w| w.0).collect();
    with_mail.dedup();
    let hazards: HashMap<i64, hazard::Model> = hazard::Entity::find()
        .filter(hazard::Column::Id.is_in(with_mail))
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let names = crate::enterprise::service::names(db, hazards.values().filter_map(|h| h.enterprise_id)).await?;
    let today = crate::clock::china_date(ctx.at);
    let mut out = Vec::new();
    for (id, ri, i, a) in wanted {
        let Some(h) = hazards.get(&id) else { continue };
        let name = h.enterprise_id.and_then(|e| names.get(&e).cloned()).unwrap_or_else(|| "未登记主体".to_owned());
        let deadline = h.deadline.map(|d| d.to_string()).unwrap_or_default();
        let key = format!("hazard:{id}:{step}:{deadline}:{i}");
        let mut mail_ctx = context(h, &name, today, None);
        mail_ctx.link = crate::mail::link(&link(h.id));
        for address in addresses.get(&format!("{a:?}")).into_iter().flatten() {
            out.push(crate::mail::Notice {
                kind: recipients[ri].mail,
                to: address.clone(),
                ctx: mail_ctx.clone(),
                dedupe_key: format!("{key}:{address}"),
            });
        }
    }
    crate::mail::enqueue(db, ctx.at, out).await?;
    Ok(())
}

/// Writes the to-dos and mails of the hazards a rule has just claimed.
pub async fn notify<C: ConnectionTrait>(db: &C, ctx: &AuditCtx, step: &str, ids: &[i64]) -> AppResult<()> {
    let recipients = recipients(step);
    for chunk in ids.chunks(500) {
        for r in &recipients {
            insert_todos(db, ctx, step, r, chunk).await?;
        }
        mails(db, ctx, step, &recipients, chunk).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_names_its_audience_and_numbers_recipients_as_before() {
        let of = |s: &str| recipients(s).iter().map(|r| r.audience).collect::<Vec<_>>();
        assert_eq!(of("due_soon"), vec![Audience::Enterprise]);
        assert_eq!(of("overdue"), vec![Audience::Enterprise, Audience::BureauClosed]);
        assert_eq!(of("escalated"), vec![Audience::ParentRegulators]);
        assert_eq!(of("review_pending"), vec![Audience::Regulators]);
        assert_eq!(of("check_late"), vec![Audience::Regulators]);
        assert_eq!(
            of("assign_late"),
            vec![Audience::Regulators],
            "awaiting 交办 is the bureau's, never the enterprise's"
        );
        assert_eq!(of("plan_late"), vec![Audience::Enterprise]);
        let h = Brief { id: 1, enterprise_id: Some(7), bureau_id: 3, closure: "inspector".into() };
        let parent = HashMap::from([(3, 2)]);
        let numbers = |a| assignees(a, &h, &parent).into_iter().map(|(i, _)| i).collect::<Vec<_>>();
        assert_eq!(numbers(Audience::Enterprise), vec![0, 1]);
        assert_eq!(numbers(Audience::BureauClosed), vec![2]);
        assert_eq!(numbers(Audience::ParentRegulators), vec![0]);
        assert_eq!(placeholders(5, 3), "$5, $6, $7");
    }
}
