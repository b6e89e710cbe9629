//! Each step's body checks its own required fields (the Chinese messages the
//! pages show beside the fields); lengths and amounts are checked for every
//! step by `actions::check_body`.

use super::{
    Action, ActionRequest, ApproveVoidRequest, AssignRequest, ConfirmRequest, DecideExtensionRequest, DismissRequest,
    NaiveDate, PlanRequest, ProgressRequest, RegradeRequest, ReopenRequest, RequestExtensionRequest, SubmitRequest,
    SuspendRequest, VerifyRequest, VoidRequest,
};
use crate::error::FieldErrors;

fn push(fields: &mut FieldErrors, field: &str, message: &str) {
    fields.entry(field.to_owned()).or_default().push(message.to_owned());
}

fn note_required(note: Option<&str>, fields: &mut FieldErrors, what: &str) {
    if note.is_none_or(|n| n.trim().is_empty()) {
        push(fields, "note", &format!("请填写{what}"));
    }
}

/// A step's body checks its own required fields; `deadline` is the hazard's
/// current rectification deadline.
trait CheckBody {
    fn check(&self, deadline: Option<NaiveDate>, fields: &mut FieldErrors);
}

impl CheckBody for ConfirmRequest {
    fn check(&self, _: Option<NaiveDate>, _: &mut FieldErrors) {}
}

impl CheckBody for DismissRequest {
    fn check(&self, _: Option<NaiveDate>, fields: &mut FieldErrors) {
        note_required(self.note.as_deref(), fields, "不予认定的理由");
    }
}

impl CheckBody for RegradeRequest {
    fn check(&self, _: Option<NaiveDate>, fields: &mut FieldErrors) {
        if self.level.is_none() {
            push(fields, "level", "请选择新的隐患等级");
        }
        if self.reason.as_deref().is_none_or(|n| n.trim().is_empty()) {
            push(fields, "reason", "请填写重新定级的理由");
        }
    }
}

impl CheckBody for AssignRequest {
    fn check(&self, _: Option<NaiveDate>, fields: &mut FieldErrors) {
        let Some(a) = &self.assignment else { return push(fields, "assignment", "请填写交办内容") };
        if a.assigning_body.trim().is_empty() || a.responsible_unit.trim().is_empty() {
            push(fields, "assignment", "请填写交办单位和责任单位");
        }
        if !["province", "city", "county"].contains(&a.supervision_level.as_str()) {
            push(fields, "assignment.supervision_level", "督办级别应为 province、city 或 county");
        }
    }
}

impl CheckBody for PlanRequest {
    fn check(&self, deadline: Option<NaiveDate>, fields: &mut FieldErrors) {
        match &self.plan {
            Some(p) if p.measures.trim().is_empty() || p.emergency_plan.trim().is_empty() => {
                push(fields, "plan", "治理方案须写明治理措施和应急预案");
            }
            Some(p) if deadline.is_some_and(|d| p.deadline > d) => {
                push(fields, "plan.deadline", "治理时限不能晚于交办的整改期限");
            }
            Some(_) => {}
            None => push(fields, "plan", "请填写治理方案（五定）"),
        }
    }
}

impl CheckBody for ProgressRequest {
    fn check(&self, _: Option<NaiveDate>, fields: &mut FieldErrors) {
        note_required(self.note.as_deref(), fields, "整改进展");
    }
}

impl CheckBody for SuspendRequest {
    fn check(&self, _: Option<NaiveDate>, fields: &mut FieldErrors) {
        if self.suspended.is_none() {
            push(fields, "suspended", "请说明停产停用（true）或恢复（false）");
        }
    }
}

impl CheckBody for SubmitRequest {
    fn check(&self, _: Option<NaiveDate>, fields: &mut FieldErrors) {
        if self.attachment_ids.is_empty() {
            push(fields, "attachment_ids", "提交验收须上传整改后照片");
        }
    }
}

impl CheckBody for VerifyRequest {
    fn check(&self, _: Option<NaiveDate>, fields: &mut FieldErrors) {
        match self.passed {
            None => push(fields, "passed", "请填写验收结论（passed）"),
            Some(false) => note_required(self.note.as_deref(), fields, "未通过的原因"),
            Some(true) => {}
        }
    }
}

impl CheckBody for RequestExtensionRequest {
    fn check(&self, deadline: Option<NaiveDate>, fields: &mut FieldErrors) {
        note_required(self.note.as_deref(), fields, "延期理由");
        match (self.until, deadline) {
            (None, _) => push(fields, "until", "请填写申请延期至的日期"),
            (Some(u), Some(d)) if u <= d => push(fields, "until", "延期日期应晚于当前整改期限"),
            _ => {}
        }
    }
}

impl CheckBody for DecideExtensionRequest {
    fn check(&self, _: Option<NaiveDate>, fields: &mut FieldErrors) {
        if self.approved.is_none() {
            push(fields, "approved", "请填写是否同意延期");
        }
    }
}

impl CheckBody for ReopenRequest {
    fn check(&self, _: Option<NaiveDate>, fields: &mut FieldErrors) {
        note_required(self.note.as_deref(), fields, "重新打开的原因");
    }
}

impl CheckBody for VoidRequest {
    fn check(&self, _: Option<NaiveDate>, fields: &mut FieldErrors) {
        note_required(self.note.as_deref(), fields, "作废的理由");
    }
}

impl CheckBody for ApproveVoidRequest {
    fn check(&self, _: Option<NaiveDate>, fields: &mut FieldErrors) {
        if self.approved.is_none() {
            push(fields, "approved", "请填写是否同意作废");
        }
    }
}

/// The required fields of `action`'s body, checked by its own type; every problem at once.
pub fn check(action: Action, r: &ActionRequest, deadline: Option<NaiveDate>, fields: &mut FieldErrors) {
    match action {
        Action::Confirm => ConfirmRequest::from(r).check(deadline, fields),
        Action::Dismiss => DismissRequest::from(r).check(deadline, fields),
        Action::Regrade => RegradeRequest::from(r).check(deadline, fields),
        Action::Assign => AssignRequest::from(r).check(deadline, fields),
        Action::Plan => PlanRequest::from(r).check(deadline, fields),
        Action::Progress => ProgressRequest::from(r).check(deadline, fields),
        Action::Suspend => SuspendRequest::from(r).check(deadline, fields),
        Action::Submit => SubmitRequest::from(r).check(deadline, fields),
        Action::Verify => VerifyRequest::from(r).check(deadline, fields),
        Action::RequestExtension => RequestExtensionRequest::from(r).check(deadline, fields),
        Action::DecideExtension => DecideExtensionRequest::from(r).check(deadline, fields),
        Action::Reopen => ReopenRequest::from(r).check(deadline, fields),
        Action::Void => VoidRequest::from(r).check(deadline, fields),
        Action::ApproveVoid => ApproveVoidRequest::from(r).check(deadline, fields),
    }
}
