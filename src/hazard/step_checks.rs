//! Each step's body checks its own required fields (the Chinese messages the
//! pages show beside the fields); lengths and amounts are checked for every
//! step by `actions::check_body`.

use super::{
    Action, ActionRequest, ApplyResumptionRequest, ApproveVoidRequest, AssignRequest, ConfirmRequest,
    DecideExtensionRequest, DismissRequest, LiftSuspensionRequest, NaiveDate, PlanRequest, ProgressRequest,
    RegradeRequest, ReopenRequest, RequestExtensionRequest, SubmitRequest, SuspendRequest, VerifyRequest, VoidRequest,
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
        if a.responsible_unit.trim().is_empty() {
            push(fields, "assignment.responsible_unit", "请填写责任单位");
        }
        if a.responsible_person.trim().is_empty() {
            push(fields, "assignment.responsible_person", "请填写责任人");
        }
        if a.supervision_level.parse::<super::super::domain::SupervisionLevel>().is_err() {
            push(fields, "assignment.supervision_level", "督办级别应为省级、市级、县级或不挂牌");
        }
        if a.cooperating_units.iter().any(|u| u.trim().is_empty()) {
            push(fields, "assignment.cooperating_units", "配合单位名称不能为空");
        }
        let names = ("assignment.deadline", "assignment.deadline_working_days");
        deadline_or_days(fields, names, a.deadline.is_some(), a.deadline_working_days);
        if let (Some(on), Some(d)) = (a.assigned_on, a.deadline)
            && d < on
        {
            push(fields, "assignment.deadline", "整改期限不能早于交办日期");
        }
    }
}

/// One of a date and a number of working days (1–365), not both; `names`
/// are the two fields.
fn deadline_or_days(fields: &mut FieldErrors, names: (&str, &str), date: bool, days: Option<u32>) {
    match (date, days) {
        (false, None) => push(fields, names.0, "请填写期限日期或工作日天数"),
        (true, Some(_)) => push(fields, names.1, "期限日期与工作日天数只能填一个"),
        (_, Some(n)) if n == 0 || n > 365 => push(fields, names.1, "工作日天数应在 1–365 之间"),
        _ => {}
    }
}

/// Required text of a plan: `(field, label, value)`.
fn plan_texts(p: &super::Plan) -> [(&'static str, &'static str, &str); 6] {
    [
        ("plan.goals", "目标和任务", &p.goals),
        ("plan.measures", "方法和措施", &p.measures),
        ("plan.responsible_org", "负责的机构", &p.responsible_org),
        ("plan.responsible_person", "负责的人员", &p.responsible_person),
        ("plan.safety_measures", "安全措施", &p.safety_measures),
        ("plan.emergency_plan", "应急预案", &p.emergency_plan),
    ]
}

impl CheckBody for PlanRequest {
    fn check(&self, deadline: Option<NaiveDate>, fields: &mut FieldErrors) {
        let Some(p) = &self.plan else { return push(fields, "plan", "请填写治理方案") };
        for (field, label, value) in plan_texts(p) {
            if value.trim().is_empty() {
                push(fields, field, &format!("请填写{label}"));
            }
        }
        if !super::super::plan::valid_funds(p.funds) {
            push(fields, "plan.funds", "治理经费应为大于 0 的金额（元），最多两位小数");
        }
        if deadline.is_some_and(|d| p.deadline > d) {
            push(fields, "plan.deadline", "治理时限不能晚于交办的整改期限");
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
        if self.scope_text.as_deref().is_none_or(|t| t.trim().is_empty()) {
            push(fields, "scope_text", "请填写停产停用的范围（如 整个企业、3号储罐区）");
        }
        if self.basis.as_deref().is_none_or(|t| t.trim().is_empty()) {
            push(fields, "basis", "请填写依据（如《安全生产法》第六十五条）");
        }
    }
}

impl CheckBody for ApplyResumptionRequest {
    fn check(&self, _: Option<NaiveDate>, fields: &mut FieldErrors) {
        if self.resumption_application_ids.is_empty() {
            push(fields, "resumption_application_ids", "请上传书面复产申请");
        }
    }
}

impl CheckBody for LiftSuspensionRequest {
    fn check(&self, _: Option<NaiveDate>, _: &mut FieldErrors) {}
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
        deadline_or_days(fields, ("until", "until_working_days"), self.until.is_some(), self.until_working_days);
        if let (Some(u), Some(d)) = (self.until, deadline)
            && u <= d
        {
            push(fields, "until", "延期日期应晚于当前整改期限");
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
        Action::ApplyResumption => ApplyResumptionRequest::from(r).check(deadline, fields),
        Action::LiftSuspension => LiftSuspensionRequest::from(r).check(deadline, fields),
    }
}
