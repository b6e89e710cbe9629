//! Money after the decision: payment within the days after service, 加处罚款 of 3 %
//! a day after the due date up to the fine (行政处罚法 art. 72, computed when read,
//! never a stored debt), deferral or instalments approved by the 负责人, and the
//! application to the court once the time is up.

use super::domain::{Decision, late_fee};
use super::json::Money;
use super::service::{MAX_YUAN, push};
use super::steps::{Ctx, Outcome};
use crate::entities::case;
use crate::error::{AppError, AppResult, FieldErrors};
use chrono::NaiveDate;
use sea_orm::ActiveValue::Set;
use serde_json::json;

/// What is owed on `day`.
pub fn money(c: &case::Model, day: NaiveDate) -> AppResult<Money> {
    let fine = if c.decision == Some(Decision::Penalty) { c.fine_total_yuan } else { 0 };
    let percent = super::rules::rules()?.payment.late_percent_per_day;
    // Accrual stops on the day the whole was paid.
    let until = c.paid_on.unwrap_or(day);
    let late = match c.payment_due {
        Some(due) if fine > 0 => late_fee(fine, due, percent, until),
        _ => 0,
    };
    let owed = (fine + late - c.paid_yuan).max(0);
    Ok(Money {
        fine_yuan: fine,
        late_fee_yuan: late,
        paid_yuan: c.paid_yuan,
        owed_yuan: owed,
        payment_due: c.payment_due,
    })
}

/// The 缴纳罚款 step: a payment on a day; the case is paid when nothing is owed.
pub(super) fn pay(c: &Ctx<'_>, m: &mut case::ActiveModel, f: &mut FieldErrors) -> AppResult<Outcome> {
    let before = money(c.case, c.on)?;
    if before.owed_yuan == 0 {
        return Err(AppError::conflict("nothing_owed", "本案没有应缴的罚款"));
    }
    let amount = c.body.amount_yuan.unwrap_or(0);
    if !(1..=MAX_YUAN).contains(&amount) {
        push(f, "amount_yuan", "请填写缴纳金额（元）");
    } else if amount > before.owed_yuan {
        push(
            f,
            "amount_yuan",
            format!(
                "缴纳金额超过应缴金额 {} 元（罚款 {} 元，加处罚款 {} 元）",
                before.owed_yuan, before.fine_yuan, before.late_fee_yuan
            ),
        );
    }
    let paid = c.case.paid_yuan + amount.clamp(0, MAX_YUAN);
    m.paid_yuan = Set(paid);
    let to = if paid >= before.fine_yuan + before.late_fee_yuan {
        m.paid_on = Set(Some(c.on));
        c.to
    } else {
        c.case.status
    };
    let record =
        json!({"amount_yuan": amount, "on": c.on, "late_fee_yuan": before.late_fee_yuan, "note": c.body.note.trim()});
    Ok(Outcome { to, documents: vec![], record })
}

/// The 延期（分期）缴纳 step: a new due date, approved.
pub(super) fn instalment(c: &Ctx<'_>, m: &mut case::ActiveModel, f: &mut FieldErrors) -> Outcome {
    match (c.body.due, c.case.payment_due) {
        (Some(due), Some(old)) if due > old && due <= c.today + chrono::Duration::days(366) => {
            m.payment_due = Set(Some(due));
        }
        _ => push(f, "due", "请填写新的缴款期限（晚于原期限，一年以内）"),
    }
    if c.body.note.trim().is_empty() {
        push(f, "note", "请填写当事人的申请理由和批准意见");
    }
    let record = json!({"due": c.body.due, "previous_due": c.case.payment_due, "note": c.body.note.trim()});
    Outcome { to: c.to, documents: c.step.document().into_iter().collect(), record }
}

/// The 申请强制执行 step: only once the payment is overdue.
pub(super) fn enforce(c: &Ctx<'_>, f: &mut FieldErrors) -> AppResult<Outcome> {
    let now = money(c.case, c.today)?;
    if now.owed_yuan == 0 || c.case.payment_due.is_none_or(|d| c.today <= d) {
        return Err(AppError::conflict("not_overdue", "缴款期限未届满或罚款已缴清，不能申请强制执行"));
    }
    if c.body.note.trim().is_empty() {
        push(f, "note", "请填写申请事项和理由");
    }
    let record = json!({"owed_yuan": now.owed_yuan, "note": c.body.note.trim()});
    Ok(Outcome { to: c.to, documents: c.step.document().into_iter().collect(), record })
}

/// 结案 needs nothing owed, unless the court or another body now holds the matter.
pub(super) fn check_settled(c: &Ctx<'_>) -> AppResult<()> {
    use super::domain::CaseStatus as S;
    if matches!(c.case.status, S::Enforcing | S::Transferred) {
        return Ok(());
    }
    let now = money(c.case, c.today)?;
    if now.owed_yuan > 0 {
        return Err(AppError::conflict("money_owed", format!("尚有 {} 元未缴纳，不能结案", now.owed_yuan)));
    }
    Ok(())
}
