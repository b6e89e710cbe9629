//! 案件处理呈批: the handler proposes the outcome — fines per violation with the
//! discretion step, other measures, or no penalty — and the law's limits apply.
//!
//! Decisions:
//! - Above the statutory maximum is refused (422). Outside the benchmark step needs
//!   a reason; below the statutory minimum needs a 减轻 ground and a reason; both
//!   are marked for the legal reviewer.
//! - One act, one fine (行政处罚法 art. 29): among violations of one party with the
//!   same act number at most one carries a fine, and it is the provision with the
//!   higher statutory maximum; the others are 0 and need no reason.
//! - 首违不罚 is proposed only for entries on the bureau's no-penalty list, with
//!   the education recorded; 轻微不罚 (mandatory) for any entry, with the reasons.
//! - The hearing right follows from the proposal: a fine at or above the province's
//!   large-fine threshold for a person or a unit, or a measure such as suspension.

use super::catalogue::{self, Fine};
use super::domain::{CaseDocument, Decision, FineCheck, PartyKind, check_fine};
use super::json::ProposedFine;
use super::service::{MAX_YUAN, fine_party, push};
use super::steps::{Ctx, Outcome};
use crate::entities::{case, case_party, case_violation};
use crate::error::{AppResult, FieldErrors};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use std::collections::HashMap;

/// The measures a proposal may name besides fines.
pub const MEASURES: [(&str, &str); 4] = [
    ("suspension", "责令停产停业整顿"),
    ("licence_suspension", "暂扣许可证"),
    ("licence_revocation", "吊销许可证"),
    ("closure", "提请予以关闭"),
];

struct Checked {
    row: case_violation::Model,
    fine: i64,
    statutory_max: i64,
    step: Option<String>,
    income: Option<i64>,
    reason: String,
    mitigation: bool,
    outside_step: bool,
}

/// The violations and parties of a case, in order.
pub async fn parts<C: sea_orm::ConnectionTrait>(
    db: &C,
    case_id: i64,
) -> AppResult<(Vec<case_violation::Model>, Vec<case_party::Model>)> {
    let v = case_violation::Entity::find()
        .filter(case_violation::Column::CaseId.eq(case_id))
        .order_by_asc(case_violation::Column::Position)
        .all(db)
        .await?;
    let p = case_party::Entity::find()
        .filter(case_party::Column::CaseId.eq(case_id))
        .order_by_asc(case_party::Column::Position)
        .all(db)
        .await?;
    Ok((v, p))
}

#[allow(clippy::too_many_lines)] // the checks of one proposed fine, in the order the law reads
fn check_one(
    field: &str,
    v: &case_violation::Model,
    proposed: &ProposedFine,
    parties: &[case_party::Model],
    f: &mut FieldErrors,
) -> AppResult<Option<Checked>> {
    let data = catalogue::data()?;
    let (Some(entry), Some(party)) =
        (data.entry(&v.catalogue_code), parties.iter().find(|x| x.position == v.party_position))
    else {
        push(f, field, "该违法行为的目录条目已不存在");
        return Ok(None);
    };
    let kind = fine_party(party.kind, party.role);
    let Some(row): Option<&Fine> = entry.fine(kind, &v.stage) else {
        push(f, field, "该违法行为的罚则已不存在");
        return Ok(None);
    };
    if !(0..=MAX_YUAN).contains(&proposed.fine_yuan) {
        push(f, &format!("{field}.fine_yuan"), "罚款数额应为不小于 0 的整数（元）");
        return Ok(None);
    }
    let Some((lo, hi)) = row.range(proposed.annual_income_yuan.filter(|n| (0..=MAX_YUAN).contains(n))) else {
        push(f, &format!("{field}.annual_income_yuan"), "按上一年年收入比例处罚，请填写上一年年收入");
        return Ok(None);
    };
    let bench = data.benchmark(&entry.code, kind, &v.stage);
    let step = match (bench, proposed.step.as_deref()) {
        (Some(found), Some(code)) => {
            let hit = found.steps.iter().find(|s| s.code == code);
            if hit.is_none() {
                push(f, &format!("{field}.step"), format!("裁量基准中没有阶次“{}”", crate::limits::preview(code)));
            }
            hit
        }
        (Some(_), None) if proposed.fine_yuan > 0 => {
            push(f, &format!("{field}.step"), "请选择裁量阶次");
            None
        }
        _ => None,
    };
    let reason = proposed.reason.trim().to_owned();
    crate::limits::check(f, &format!("{field}.reason"), "裁量理由", Some(&reason), 2000);
    let check = check_fine(proposed.fine_yuan, (lo, hi), step.map(|s| (s.min_yuan, s.max_yuan)));
    let mut outside_step = false;
    match check {
        FineCheck::AboveMaximum => push(
            f,
            &format!("{field}.fine_yuan"),
            format!(
                "{} 元超过法定最高罚款数额（{}：{}）",
                proposed.fine_yuan,
                data.citation(entry),
                catalogue::yuan(hi)
            ),
        ),
        // A zero fine is settled by the one-act rule below.
        FineCheck::BelowMinimum if proposed.fine_yuan > 0 && (!proposed.mitigation || reason.is_empty()) => push(
            f,
            &format!("{field}.fine_yuan"),
            format!("低于法定最低数额（{}）须有减轻处罚情节（行政处罚法第三十二条）并说明理由", catalogue::yuan(lo)),
        ),
        FineCheck::OutsideStep if reason.is_empty() => {
            push(f, &format!("{field}.reason"), "罚款数额不在所选裁量阶次的幅度内，请说明理由");
        }
        FineCheck::OutsideStep => outside_step = true,
        _ => {}
    }
    Ok(Some(Checked {
        row: v.clone(),
        fine: proposed.fine_yuan,
        statutory_max: hi,
        step: step.map(|s| s.code.clone()),
        income: proposed.annual_income_yuan,
        reason,
        mitigation: proposed.mitigation,
        outside_step: outside_step || (check == FineCheck::BelowMinimum && proposed.fine_yuan > 0),
    }))
}

/// One act, one fine: per (party, act) at most one fine, under the higher provision;
/// a zero fine outside such a group needs the 减轻 ground like any amount below the minimum.
fn one_act_one_fine(checked: &[Checked], f: &mut FieldErrors) -> AppResult<()> {
    let data = catalogue::data()?;
    let mut acts: HashMap<(i32, i32), Vec<&Checked>> = HashMap::new();
    for c in checked {
        acts.entry((c.row.party_position, c.row.act)).or_default().push(c);
    }
    for group in acts.values() {
        let fined: Vec<&&Checked> = group.iter().filter(|c| c.fine > 0).collect();
        let top = group.iter().map(|c| c.statutory_max).max().unwrap_or(0);
        if fined.len() > 1 {
            push(f, "fines", "同一违法行为不得给予两次以上罚款（行政处罚法第二十九条）");
        } else if let Some(c) = fined.first().filter(|c| c.statutory_max < top) {
            let entry = data.entry(&c.row.catalogue_code).map(|e| data.citation(e)).unwrap_or_default();
            push(f, "fines", format!("同一违法行为违反多个规定的，按罚款数额高的规定处罚，不应按{entry}罚款"));
        } else if fined.is_empty() {
            for c in group.iter().filter(|c| c.statutory_max > 0 && (!c.mitigation || c.reason.is_empty())) {
                let lo = data
                    .entry(&c.row.catalogue_code)
                    .and_then(|e| e.fines.iter().find(|r| r.stage == c.row.stage))
                    .map_or(0, |r| r.min_yuan);
                if lo > 0 {
                    push(
                        f,
                        &format!("fines[{}]", c.row.position),
                        "不予罚款低于法定最低数额，须有减轻处罚情节并说明理由",
                    );
                }
            }
        }
    }
    Ok(())
}

fn hearing_right(checked: &[Checked], parties: &[case_party::Model], measures: &[String]) -> AppResult<bool> {
    let h = &super::rules::rules()?.hearing;
    let large = parties.iter().any(|p| {
        let total: i64 = checked.iter().filter(|c| c.row.party_position == p.position).map(|c| c.fine).sum();
        match p.kind {
            PartyKind::Person => total >= h.person_fine_from_yuan,
            PartyKind::Unit => total >= h.unit_fine_from_yuan,
        }
    });
    Ok(large || measures.iter().any(|m| h.measures.contains(m)))
}

async fn penalty(c: &Ctx<'_>, m: &mut case::ActiveModel, f: &mut FieldErrors) -> AppResult<Vec<Checked>> {
    let (violations, parties) = parts(c.tx, c.case.id).await?;
    crate::limits::check_list(f, "fines", "罚款", &c.body.fines, 50);
    let mut checked = Vec::new();
    for v in &violations {
        let field = format!("fines[{}]", v.position);
        match c.body.fines.iter().filter(|p| p.violation_id == v.id).count() {
            0 => push(f, &field, format!("请为第 {} 项违法行为提出罚款（不罚款填 0）", v.position + 1)),
            1 => {}
            _ => push(f, &field, "同一违法行为只能提出一次"),
        }
    }
    for p in c.body.fines.iter().take(50) {
        let Some(v) = violations.iter().find(|v| v.id == p.violation_id) else {
            push(f, "fines", format!("本案没有编号为 {} 的违法行为", p.violation_id));
            continue;
        };
        if let Some(x) = check_one(&format!("fines[{}]", v.position), v, p, &parties, f)? {
            checked.push(x);
        }
    }
    one_act_one_fine(&checked, f)?;
    for (i, code) in c.body.measures.iter().enumerate().take(10) {
        if !MEASURES.iter().any(|(k, _)| k == code) {
            push(f, &format!("measures[{i}]"), format!("没有处罚措施“{}”", crate::limits::preview(code)));
        }
    }
    crate::limits::check_list(f, "measures", "处罚措施", &c.body.measures, 10);
    m.hearing_right = Set(hearing_right(&checked, &parties, &c.body.measures)?);
    m.fine_total_yuan = Set(checked.iter().map(|x| x.fine).sum());
    Ok(checked)
}

fn no_penalty(c: &Ctx<'_>, violations: &[case_violation::Model], f: &mut FieldErrors) -> AppResult<()> {
    let data = catalogue::data()?;
    match c.body.no_penalty_ground.as_deref() {
        Some("minor") => {
            if c.body.note.trim().is_empty() {
                push(f, "note", "请说明违法行为轻微、及时改正、没有造成危害后果的事实");
            }
        }
        Some("first_offence") => {
            if c.body.note.trim().is_empty() {
                push(f, "note", "首违不罚须记录对当事人的教育情况");
            }
            for v in violations.iter().filter(|v| data.no_penalty(&v.catalogue_code).is_none()) {
                let name = data.entry(&v.catalogue_code).map(|e| data.citation(e)).unwrap_or_default();
                push(f, &format!("fines[{}]", v.position), format!("{name}不在本局首违不罚清单内"));
            }
        }
        _ => push(f, "no_penalty_ground", "请选择不予处罚的依据：轻微不罚或首违不罚"),
    }
    Ok(())
}

/// The 案件处理呈批 step.
pub(super) async fn report(c: &Ctx<'_>, m: &mut case::ActiveModel, f: &mut FieldErrors) -> AppResult<Outcome> {
    let Some(decision) = c.body.decision else {
        push(f, "decision", "请选择拟作出的处理：给予行政处罚或不予行政处罚");
        return Ok(Outcome { to: c.to, documents: vec![], record: json!({}) });
    };
    m.decision = Set(Some(decision));
    let mut checked = Vec::new();
    if decision == Decision::Penalty {
        checked = penalty(c, m, f).await?;
    } else {
        let (violations, _) = parts(c.tx, c.case.id).await?;
        no_penalty(c, &violations, f)?;
        m.hearing_right = Set(false);
        m.fine_total_yuan = Set(0);
    }
    if f.is_empty() {
        for x in &checked {
            let mut v: case_violation::ActiveModel = x.row.clone().into();
            v.step_code = Set(x.step.clone());
            v.fine_yuan = Set(Some(x.fine));
            v.annual_income_yuan = Set(x.income);
            v.reason = Set(x.reason.clone());
            v.mitigation = Set(x.mitigation);
            v.outside_step = Set(x.outside_step);
            v.update(c.tx).await?;
        }
    }
    let fines: Vec<_> = checked
        .iter()
        .map(|x| {
            json!({"violation_id": x.row.id, "fine_yuan": x.fine, "step": x.step,
        "outside_step": x.outside_step, "mitigation": x.mitigation, "reason": x.reason})
        })
        .collect();
    let record = json!({"decision": decision, "fines": fines, "measures": c.body.measures,
        "no_penalty_ground": (decision == Decision::NoPenalty).then_some(c.body.no_penalty_ground.as_deref()).flatten(),
        "note": c.body.note.trim()});
    Ok(Outcome { to: c.to, documents: vec![CaseDocument::CaseReport], record })
}
