//! Length and list limits of the ledger's request bodies (`crate::limits`),
//! checked by the services with every other problem of the request, so that
//! the API, the pages and the imports answer alike.

use super::json::{ActionRequest, Assignment, CreateHazardRequest, Plan};
use crate::error::FieldErrors;
use crate::limits::{ADDRESS, LIST, NAME, SHORT, TEXT, check, check_list};

impl CreateHazardRequest {
    /// Every free text of a new hazard (with its reporter and new subject) and its photo lists.
    pub fn check_lengths(&self, fields: &mut FieldErrors) {
        check(fields, "title", "标题", Some(&self.title), NAME);
        check(fields, "description", "隐患描述", Some(&self.description), TEXT);
        check(fields, "location", "隐患部位", self.location.as_deref(), ADDRESS);
        check(fields, "category", "隐患类别", Some(&self.category), SHORT);
        check(fields, "source_ref", "来源编号", self.source_ref.as_deref(), SHORT);
        check(fields, "checklist_item_code", "检查项编号", self.checklist_item_code.as_deref(), SHORT);
        if let Some(r) = &self.reporter {
            check(fields, "reporter.name", "举报人姓名", r.name.as_deref(), SHORT);
            check(fields, "reporter.phone", "举报人电话", r.phone.as_deref(), SHORT);
        }
        if let Some(s) = &self.subject {
            check(fields, "subject.name", "主体名称", Some(&s.name), NAME);
            check(fields, "subject.address", "主体地址", s.address.as_deref(), ADDRESS);
            check(fields, "subject.description", "主体情况", s.description.as_deref(), TEXT);
        }
        check_list(fields, "attachment_ids", "现场照片", &self.attachment_ids, LIST);
        check_list(fields, "after_attachment_ids", "整改后照片", &self.after_attachment_ids, LIST);
    }
}

impl ActionRequest {
    /// Every free text of a step (with its 交办 and 治理方案) and its photo list.
    pub fn check_lengths(&self, fields: &mut FieldErrors) {
        check(fields, "note", "说明", self.note.as_deref(), TEXT);
        check(fields, "reward", "奖励", self.reward.as_deref(), SHORT);
        check(fields, "reason", "理由", self.reason.as_deref(), TEXT);
        check(fields, "rectifier_name", "整改责任人", self.rectifier_name.as_deref(), SHORT);
        check(fields, "acceptor_name", "验收人", self.acceptor_name.as_deref(), SHORT);
        if self.deadline_working_days.is_some_and(|n| n == 0 || n > 365) {
            fields.entry("deadline_working_days".to_owned()).or_default().push("工作日天数应在 1–365 之间".to_owned());
        }
        if self.deadline.is_some() && self.deadline_working_days.is_some() {
            fields
                .entry("deadline_working_days".to_owned())
                .or_default()
                .push("整改期限与工作日天数只能填一个".to_owned());
        }
        if let Some(a) = &self.assignment {
            a.check_lengths(fields);
        }
        if let Some(p) = &self.plan {
            p.check_lengths(fields);
        }
        check_list(fields, "attachment_ids", "照片", &self.attachment_ids, LIST);
        check(fields, "scope_text", "停产停用范围", self.scope_text.as_deref(), NAME);
        check(fields, "basis", "依据", self.basis.as_deref(), NAME);
        check(fields, "opinion", "审查意见", self.opinion.as_deref(), TEXT);
        check_list(fields, "reviewers", "审查人员", &self.reviewers, LIST);
        for r in &self.reviewers {
            check(fields, "reviewers", "审查人员姓名", Some(r), SHORT);
        }
        check_list(fields, "assessment_report_ids", "评估报告", &self.assessment_report_ids, LIST);
        check_list(fields, "resumption_application_ids", "复产申请", &self.resumption_application_ids, LIST);
    }
}

impl Assignment {
    fn check_lengths(&self, fields: &mut FieldErrors) {
        check(fields, "assignment.assigning_body", "交办单位", self.assigning_body.as_deref(), NAME);
        check_list(fields, "assignment.cooperating_units", "配合单位", &self.cooperating_units, LIST);
        for u in &self.cooperating_units {
            check(fields, "assignment.cooperating_units", "配合单位名称", Some(u), NAME);
        }
        check(fields, "assignment.responsible_unit", "责任单位", Some(&self.responsible_unit), NAME);
        check(fields, "assignment.responsible_person", "责任人", Some(&self.responsible_person), SHORT);
        check(fields, "assignment.supervision_level", "督办级别", Some(&self.supervision_level), SHORT);
        check(fields, "assignment.notice_no", "督办文号", self.notice_no.as_deref(), SHORT);
    }
}

impl Plan {
    fn check_lengths(&self, fields: &mut FieldErrors) {
        check(fields, "plan.goals", "目标和任务", Some(&self.goals), TEXT);
        check(fields, "plan.measures", "方法和措施", Some(&self.measures), TEXT);
        check(fields, "plan.materials", "物资", self.materials.as_deref(), TEXT);
        check(fields, "plan.responsible_org", "负责的机构", Some(&self.responsible_org), NAME);
        check(fields, "plan.responsible_person", "负责的人员", Some(&self.responsible_person), SHORT);
        check(fields, "plan.requirements", "要求", self.requirements.as_deref(), TEXT);
        check(fields, "plan.safety_measures", "安全措施", Some(&self.safety_measures), TEXT);
        check(fields, "plan.emergency_plan", "应急预案", Some(&self.emergency_plan), TEXT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits;

    #[test]
    fn a_step_lists_every_over_long_field_of_its_assignment_at_once() {
        let assignment = Assignment {
            assigning_body: Some("办".repeat(limits::NAME + 1)),
            responsible_unit: "甲公司".to_owned(),
            responsible_person: "张".repeat(limits::SHORT + 1),
            supervision_level: "county".to_owned(),
            ..Assignment::default()
        };
        let req = ActionRequest {
            note: Some("注".repeat(limits::TEXT + 1)),
            assignment: Some(assignment),
            attachment_ids: vec![1; limits::LIST + 1],
            ..ActionRequest::default()
        };
        let mut fields = FieldErrors::new();
        req.check_lengths(&mut fields);
        let keys: Vec<&str> = fields.keys().map(String::as_str).collect();
        assert_eq!(keys, ["assignment.assigning_body", "assignment.responsible_person", "attachment_ids", "note"]);
    }
}
