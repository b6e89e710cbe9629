//! 退保登记 from an enterprise's insurance page: the reader picks one of the
//! policies it may cancel (监管人员, or the policy's insurer — the API's rule,
//! `insurance::policy`), the day cover ended and the reason. The use case is the
//! API's (`insurance::service::cancel`); its problems come back on the same page in
//! Chinese with what was typed kept.

use super::case_new_form::Typed;
use super::insurance_pages::{EnterpriseShown, enterprise_view};
use super::page::{FormErrors, PagePath, PageResult, PageUser, see_other};
use crate::error::{AppError, FieldErrors};
use crate::insurance::json::CancelInsurancePolicy;
use crate::state::AppState;
use axum::Form;
use axum::extract::State;

fn push(f: &mut FieldErrors, field: &str, message: &str) {
    f.entry(field.to_owned()).or_default().push(message.to_owned());
}

/// The policy and the body from the form, or every problem of the form at once.
fn body(t: &Typed) -> Result<(i64, CancelInsurancePolicy), AppError> {
    let mut f = FieldErrors::new();
    let policy = t.get("policy_id").trim().parse::<i64>().ok();
    if policy.is_none() {
        push(&mut f, "policy_id", "请选择要退保的保单");
    }
    let on = t.get("cancelled_on").trim().parse::<chrono::NaiveDate>().ok();
    if on.is_none() {
        push(&mut f, "cancelled_on", "请填写退保日期（YYYY-MM-DD）");
    }
    match (policy, on, f.is_empty()) {
        (Some(id), Some(on), true) => Ok((
            id,
            CancelInsurancePolicy { cancelled_on: on, cancel_reason: t.get("cancel_reason").trim().to_owned() },
        )),
        _ => Err(AppError::Validation(f)),
    }
}

pub async fn cancel(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let typed = Typed::from_pairs(pairs);
    user.check_csrf(typed.get("csrf_token"))?;
    let result = match body(&typed) {
        Ok((policy, b)) => {
            state.write(user.actor(), async |tx| crate::insurance::service::cancel(tx, &user, policy, &b).await).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => Ok(see_other(&format!("/enterprises/{}/insurance?cancelled=1#policies", p.enterprise_id))),
        Err(e @ (AppError::Validation(_) | AppError::ForbiddenBecause(_) | AppError::Conflict { .. })) => {
            let shown = EnterpriseShown { typed, errors: FormErrors::from_error(&e), ..EnterpriseShown::default() };
            enterprise_view(&state, &user, id, shown, e.status()).await
        }
        Err(e) => Err(e.into()),
    }
}
