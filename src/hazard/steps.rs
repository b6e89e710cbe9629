//! One request schema per hazard step (`POST /api/v1/hazards/{id}/confirm`, …):
//! each step has its own path, handler and body type, so the OpenAPI document
//! says exactly what `assign` needs.
//!
//! Decisions: every body keeps the fields of the one loose body it replaces
//! (`version`, `note`, `attachment_ids` and the step's own), and unknown fields
//! are ignored, so a client that posts the old loose body is still accepted.
//! A body is narrowed to the internal [`ActionRequest`] the service applies,
//! and a page's form goes through the same narrowing ([`narrow`]), so a field
//! that does not belong to the step is never applied. Fields a step requires
//! are `Option` in Rust and `required` in the document: each body type checks
//! its own ([`check`]), so a missing one is reported with every other problem
//! of the body at once, in Chinese, as a 422.

use super::domain::{Action, Level, Outcome};
use super::json::{ActionRequest, Assignment, HazardResponse, Plan};
use super::{actions, view};
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

/// A step's body: `version` and `attachment_ids` as every step has them, then
/// the step's own fields; converts to and from the loose [`ActionRequest`].
macro_rules! step_request {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, Deserialize, ToSchema)]
        pub struct $name {
            /// The version read; a stale one answers 409 `version_conflict`.
            pub version: Option<i32>,
            $($(#[$fm])* pub $field: $ty,)*
            /// Evidence for this step, uploaded first through `POST /api/v1/attachments`; at most `limits::LIST`.
            #[serde(default)]
            #[schema(max_items = 20)]
            pub attachment_ids: Vec<i64>,
        }

        impl From<$name> for ActionRequest {
            fn from(r: $name) -> Self {
                Self { version: r.version, attachment_ids: r.attachment_ids, $($field: r.$field,)* ..Self::default() }
            }
        }

        impl From<&ActionRequest> for $name {
            fn from(r: &ActionRequest) -> Self {
                Self { version: r.version, attachment_ids: r.attachment_ids.clone(), $($field: r.$field.clone(),)* }
            }
        }
    };
}

step_request! {
    /// 认定 of a reported hazard.
    ConfirmRequest {
        /// The reason; at most `limits::TEXT` characters.
        #[schema(max_length = 5000)]
        note: Option<String>,
        /// The level settled on (default: the reported level).
        level: Option<Level>,
        /// Of a tip-off or report: 属实 (default) / 不属实.
        outcome: Option<Outcome>,
        /// Any reward paid to the reporter (`limits::SHORT`).
        #[schema(max_length = 100)]
        reward: Option<String>,
        /// The rectification deadline of a hazard settled as general (required then,
        /// unless it has one already, or `deadline_working_days` is given).
        deadline: Option<NaiveDate>,
        /// Instead of `deadline`: so many working days (1–365) from today.
        deadline_working_days: Option<u32>,
    }
}

step_request! {
    /// 不予认定 of a reported hazard.
    DismissRequest {
        /// Required: why; at most `limits::TEXT` characters.
        #[schema(required = true, value_type = String, min_length = 1, max_length = 5000)]
        note: Option<String>,
        /// Of a tip-off or report: 属实 / 不属实.
        outcome: Option<Outcome>,
    }
}

step_request! {
    /// 重新定级 of an open hazard by a regulator, either way: to `major` it is
    /// 认定为重大 and awaits 交办 (closed by 核销); to `general` it is rectified
    /// under its origin closer (`origin_closure`), by a deadline.
    RegradeRequest {
        /// Required: the new level, other than the current one.
        #[schema(required = true, value_type = Level)]
        level: Option<Level>,
        /// Required: why; at most `limits::TEXT` characters.
        #[schema(required = true, value_type = String, min_length = 1, max_length = 5000)]
        reason: Option<String>,
        /// The rectification deadline of a hazard re-graded as general; required when it has none.
        deadline: Option<NaiveDate>,
        /// Instead of `deadline`: so many working days (工作日) from today, 1–365.
        #[schema(minimum = 1, maximum = 365)]
        deadline_working_days: Option<u32>,
    }
}

step_request! {
    /// 交办 of a confirmed major hazard.
    AssignRequest {
        /// At most `limits::TEXT` characters.
        #[schema(max_length = 5000)]
        note: Option<String>,
        /// Required: the 交办; its deadline becomes the rectification deadline.
        #[schema(required = true, value_type = Assignment)]
        assignment: Option<Assignment>,
    }
}

step_request! {
    /// 治理方案 of an assigned major hazard.
    PlanRequest {
        /// At most `limits::TEXT` characters.
        #[schema(max_length = 5000)]
        note: Option<String>,
        /// Required: the plan with the 五定; its deadline no later than the rectification deadline.
        #[schema(required = true, value_type = Plan)]
        plan: Option<Plan>,
    }
}

step_request! {
    /// 整改进展 of a hazard being rectified.
    ProgressRequest {
        /// Required: the progress; at most `limits::TEXT` characters.
        #[schema(required = true, value_type = String, min_length = 1, max_length = 5000)]
        note: Option<String>,
        /// Funds spent so far, in yuan (0 – 10¹²).
        #[schema(minimum = 0, maximum = 1_000_000_000_000_f64)]
        funds_spent: Option<f64>,
    }
}

step_request! {
    /// 责令停产停业、停止使用 (WSL art. 65), in any open state (regulators).
    SuspendRequest {
        /// At most `limits::TEXT` characters.
        #[schema(max_length = 5000)]
        note: Option<String>,
        /// Required: what is stopped, e.g. 整个企业 / 3号储罐区 (`limits::NAME`).
        #[schema(required = true, value_type = String, min_length = 1, max_length = 200)]
        scope_text: Option<String>,
        /// Required: the legal basis, e.g. 《安全生产法》第六十五条 (`limits::NAME`).
        #[schema(required = true, value_type = String, min_length = 1, max_length = 200)]
        basis: Option<String>,
    }
}

step_request! {
    /// 复产申请 of a suspended hazard (the enterprise): the written application
    /// and, unless already handed in, the 评估报告.
    ApplyResumptionRequest {
        /// At most `limits::TEXT` characters.
        #[schema(max_length = 5000)]
        note: Option<String>,
        /// Required: the 复产申请 file(s), uploaded first; at most `limits::LIST`.
        #[schema(required = true, value_type = Vec<i64>, max_items = 20)]
        #[serde(default)]
        resumption_application_ids: Vec<i64>,
        /// The 评估报告 file(s); required unless the hazard already has one; at most `limits::LIST`.
        #[schema(value_type = Vec<i64>, max_items = 20)]
        #[serde(default)]
        assessment_report_ids: Vec<i64>,
    }
}

step_request! {
    /// 解除停产停用 (regulators), once the enterprise handed in its 复产申请 and 评估报告.
    LiftSuspensionRequest {
        /// At most `limits::TEXT` characters.
        #[schema(max_length = 5000)]
        note: Option<String>,
    }
}

step_request! {
    /// 提交验收: the rectification is done; `attachment_ids` (the "after" photos) are required.
    SubmitRequest {
        /// At most `limits::TEXT` characters.
        #[schema(max_length = 5000)]
        note: Option<String>,
        /// The person responsible for the rectification (整改责任人); required except for a
        /// major hazard; at most `limits::SHORT` characters.
        #[schema(max_length = 100)]
        rectifier_name: Option<String>,
        /// Funds spent, in yuan (0 – 10¹²).
        #[schema(minimum = 0, maximum = 1_000_000_000_000_f64)]
        funds_spent: Option<f64>,
        /// A major hazard: the 评估报告, required (or already handed in); at most `limits::LIST`.
        #[schema(value_type = Vec<i64>, max_items = 20)]
        #[serde(default)]
        assessment_report_ids: Vec<i64>,
        /// A suspended major hazard: the 复产申请, required unless handed in since the suspension.
        #[schema(value_type = Vec<i64>, max_items = 20)]
        #[serde(default)]
        resumption_application_ids: Vec<i64>,
    }
}

step_request! {
    /// 验收 / 复查 / 核销 of a submitted rectification. The 核销 of a major
    /// hazard records the review: `reviewed_on`, `reviewers`, `opinion`, `lift_suspension`.
    VerifyRequest {
        /// Required when the review fails: why; at most `limits::TEXT` characters.
        #[schema(max_length = 5000)]
        note: Option<String>,
        /// Required: whether the review passed.
        #[schema(required = true, value_type = bool)]
        passed: Option<bool>,
        /// The person who accepts it (验收人), not the 整改责任人; required except for a
        /// major hazard; at most `limits::SHORT` characters.
        #[schema(max_length = 100)]
        acceptor_name: Option<String>,
        /// A major hazard: the review's date (default today; not in the future).
        reviewed_on: Option<NaiveDate>,
        /// A major hazard, required: at least two distinct names (each `limits::SHORT`, at most `limits::LIST`).
        #[schema(value_type = Vec<String>, max_items = 20)]
        #[serde(default)]
        reviewers: Vec<String>,
        /// A major hazard, required: the review's opinion (`limits::TEXT`).
        #[schema(max_length = 5000)]
        opinion: Option<String>,
        /// A major hazard: a passed review lifts the suspension only when this is true.
        lift_suspension: Option<bool>,
    }
}

step_request! {
    /// 申请延期 of the rectification deadline.
    RequestExtensionRequest {
        /// Required: why; at most `limits::TEXT` characters.
        #[schema(required = true, value_type = String, min_length = 1, max_length = 5000)]
        note: Option<String>,
        /// The date asked for, after the current deadline; or instead `until_working_days`.
        until: Option<NaiveDate>,
        /// Instead of `until`: so many working days (1–365) from the current deadline.
        until_working_days: Option<u32>,
    }
}

step_request! {
    /// 延期审批 of a pending request.
    DecideExtensionRequest {
        /// At most `limits::TEXT` characters.
        #[schema(max_length = 5000)]
        note: Option<String>,
        /// Required: whether the extension is granted.
        #[schema(required = true, value_type = bool)]
        approved: Option<bool>,
    }
}

step_request! {
    /// 重新打开 a closed hazard (sampling by the regulators; the regulators
    /// verify it next), or a dismissed report on 复核 (back to 待认定).
    ReopenRequest {
        /// Required: why; at most `limits::TEXT` characters.
        #[schema(required = true, value_type = String, min_length = 1, max_length = 5000)]
        note: Option<String>,
        /// The new rectification deadline of a closed hazard (this or `deadline_working_days` is required).
        deadline: Option<NaiveDate>,
        /// Instead of `deadline`: so many working days (工作日) from today, 1–365.
        #[schema(minimum = 1, maximum = 365)]
        deadline_working_days: Option<u32>,
    }
}

step_request! {
    /// 作废 a wrong entry (a hazard is never deleted). Of a closed (or
    /// dismissed) or major hazard it is a request that an approver completes
    /// (`approve_void`); the status stays until then.
    VoidRequest {
        /// Required: why; at most `limits::TEXT` characters.
        #[schema(required = true, value_type = String, min_length = 1, max_length = 5000)]
        note: Option<String>,
    }
}

step_request! {
    /// 作废审批: an approver (负责人) of the requester's bureau or above, not the requester, decides a void request.
    ApproveVoidRequest {
        /// At most `limits::TEXT` characters.
        #[schema(max_length = 5000)]
        note: Option<String>,
        /// Required: true voids the hazard, false keeps it (the request is withdrawn).
        #[schema(required = true, value_type = bool)]
        approved: Option<bool>,
    }
}

#[path = "step_checks.rs"]
mod checks;
pub use checks::check;

/// The loose body narrowed to the fields of `action`'s own body.
pub fn narrow(action: Action, r: &ActionRequest) -> ActionRequest {
    match action {
        Action::Confirm => ConfirmRequest::from(r).into(),
        Action::Dismiss => DismissRequest::from(r).into(),
        Action::Regrade => RegradeRequest::from(r).into(),
        Action::Assign => AssignRequest::from(r).into(),
        Action::Plan => PlanRequest::from(r).into(),
        Action::Progress => ProgressRequest::from(r).into(),
        Action::Suspend => SuspendRequest::from(r).into(),
        Action::Submit => SubmitRequest::from(r).into(),
        Action::Verify => VerifyRequest::from(r).into(),
        Action::RequestExtension => RequestExtensionRequest::from(r).into(),
        Action::DecideExtension => DecideExtensionRequest::from(r).into(),
        Action::Reopen => ReopenRequest::from(r).into(),
        Action::Void => VoidRequest::from(r).into(),
        Action::ApproveVoid => ApproveVoidRequest::from(r).into(),
        Action::ApplyResumption => ApplyResumptionRequest::from(r).into(),
        Action::LiftSuspension => LiftSuspensionRequest::from(r).into(),
    }
}

async fn take(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: Action,
    req: ActionRequest,
) -> AppResult<Json<HazardResponse>> {
    // One path per step has no `{action}` parameter: the request's span is told here.
    tracing::Span::current().record("action", tracing::field::display(action.as_str()));
    let row = state.write(user.actor(), async |tx| actions::act(tx, user, id, action, &req).await).await?;
    Ok(Json(view::detail(state.db.conn(), user, row, state.clock.today()).await?))
}

/// A handler per step, documented with its own body.
macro_rules! step_handler {
    ($handler:ident, $action:ident, $body:ident, $path:tt, $doc:tt) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "hazards", params(("id" = i64, Path)), request_body = $body,
            responses((status = 200, body = HazardResponse), (status = 403, body = ErrorBody),
                (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
        pub async fn $handler(
            State(state): State<AppState>,
            user: CurrentUser,
            ApiPath(id): ApiPath<i64>,
            ApiJson(body): ApiJson<$body>,
        ) -> AppResult<Json<HazardResponse>> {
            take(&state, &user, id, Action::$action, body.into()).await
        }
    };
}

step_handler!(confirm_hazard, Confirm, ConfirmRequest, "/api/v1/hazards/{id}/confirm", "认定 (regulators).");
step_handler!(dismiss_hazard, Dismiss, DismissRequest, "/api/v1/hazards/{id}/dismiss", "不予认定 (regulators).");
step_handler!(
    regrade_hazard,
    Regrade,
    RegradeRequest,
    "/api/v1/hazards/{id}/regrade",
    "重新定级 an open hazard, either way, with a reason (regulators; of a listed major hazard, the listing bureau or above)."
);
step_handler!(assign_hazard, Assign, AssignRequest, "/api/v1/hazards/{id}/assign", "交办 a major hazard (regulators).");
step_handler!(
    plan_hazard,
    Plan,
    PlanRequest,
    "/api/v1/hazards/{id}/plan",
    "治理方案 of a major hazard (the enterprise)."
);
step_handler!(
    report_progress,
    Progress,
    ProgressRequest,
    "/api/v1/hazards/{id}/progress",
    "整改进展 (the enterprise)."
);
step_handler!(
    suspend_hazard,
    Suspend,
    SuspendRequest,
    "/api/v1/hazards/{id}/suspend",
    "责令停产停业、停止使用 (regulators)."
);
step_handler!(
    apply_resumption,
    ApplyResumption,
    ApplyResumptionRequest,
    "/api/v1/hazards/{id}/apply_resumption",
    "复产申请 with the 评估报告 (the enterprise)."
);
step_handler!(
    lift_suspension,
    LiftSuspension,
    LiftSuspensionRequest,
    "/api/v1/hazards/{id}/lift_suspension",
    "解除停产停用 (regulators)."
);
step_handler!(submit_hazard, Submit, SubmitRequest, "/api/v1/hazards/{id}/submit", "提交验收 (the enterprise).");
step_handler!(
    verify_hazard,
    Verify,
    VerifyRequest,
    "/api/v1/hazards/{id}/verify",
    "验收 / 复查 / 核销 (by the hazard's closer)."
);
step_handler!(
    request_extension,
    RequestExtension,
    RequestExtensionRequest,
    "/api/v1/hazards/{id}/request_extension",
    "申请延期 (the enterprise)."
);
step_handler!(
    decide_extension,
    DecideExtension,
    DecideExtensionRequest,
    "/api/v1/hazards/{id}/decide_extension",
    "延期审批 (regulators; the enterprise for its own self-found hazards)."
);
step_handler!(
    reopen_hazard,
    Reopen,
    ReopenRequest,
    "/api/v1/hazards/{id}/reopen",
    "重新打开 a closed hazard with a new deadline, or a dismissed report (regulators)."
);
step_handler!(
    void_hazard,
    Void,
    VoidRequest,
    "/api/v1/hazards/{id}/void",
    "作废 a wrong entry (regulators; a closed or major hazard's void waits for an approver; an enterprise its own untouched duplicate self-report)."
);
step_handler!(
    approve_void,
    ApproveVoid,
    ApproveVoidRequest,
    "/api/v1/hazards/{id}/approve_void",
    "作废审批 of a void request (an approver of the requester's bureau or above, not the requester)."
);

/// The steps' routes, one path per action.
pub fn routes() -> crate::routes::ApiRoutes {
    use crate::routes::{ApiRoutes, routes};
    ApiRoutes::new()
        .routes(routes!(confirm_hazard))
        .routes(routes!(dismiss_hazard))
        .routes(routes!(regrade_hazard))
        .routes(routes!(assign_hazard))
        .routes(routes!(plan_hazard))
        .routes(routes!(report_progress))
        .routes(routes!(suspend_hazard))
        .routes(routes!(submit_hazard))
        .routes(routes!(verify_hazard))
        .routes(routes!(request_extension))
        .routes(routes!(decide_extension))
        .routes(routes!(reopen_hazard))
        .routes(routes!(void_hazard))
        .routes(routes!(approve_void))
        .routes(routes!(apply_resumption))
        .routes(routes!(lift_suspension))
}
