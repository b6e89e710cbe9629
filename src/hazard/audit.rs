//! Change-log payloads of the ledger's audited rows.

use super::columns;
use crate::audit::{Audited, canonical};
use crate::entities::{hazard, hazard_event, hazard_subject};
use serde_json::{Value, json};

/// Payload version 3 adds the origin closer, the people of a rectification,
/// an extension and a void, the 交办 date, supervising bureau and 配合单位 and
/// the 复产申请 time; version 2 names the typed 交办, 治理方案 and 双报告 columns;
/// version 1 held them as JSON text. Earlier versions are still checked for
/// rows last written before the change (see [`columns::v1_texts`]).
impl Audited for hazard::Model {
    const ENTITY: &'static str = "hazard";
    const PAYLOAD_VERSION: i32 = 3;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        let mut v = self.payload_v2();
        let people = json!({
            "origin_closure": self.origin_closure, "rectifier_name": self.rectifier_name,
            "acceptor_name": self.acceptor_name, "accepted_by": self.accepted_by,
            "extension_requested_by": self.extension_requested_by,
            "void_requested_by": self.void_requested_by, "void_reason": self.void_reason,
        });
        merge(&mut v, people);
        let loop_fields = json!({
            "assigned_on": canonical::opt_date(self.assigned_on),
            "supervising_bureau_id": self.supervising_bureau_id, "cooperating_units": self.cooperating_units,
            "resumption_applied_at": self.resumption_applied_at.map(canonical::time),
        });
        merge(&mut v, loop_fields);
        v
    }

    fn payload_of_version(&self, version: i32) -> Option<Value> {
        match version {
            1 => {
                let [assignment, plan, report] = columns::v1_texts(self);
                let mut v = self.common();
                merge(&mut v, json!({"assignment": assignment, "plan": plan, "report": report}));
                Some(v)
            }
            2 => Some(self.payload_v2()),
            3 => Some(self.payload()),
            _ => None,
        }
    }
}

impl hazard::Model {
    /// The payload of version 2: the common fields and the typed step columns.
    fn payload_v2(&self) -> Value {
        let mut v = self.common();
        let steps = json!({
            "assignment_level": self.assignment_level, "assigning_bureau_id": self.assigning_bureau_id,
            "assigning_body": self.assigning_body, "assigned_unit": self.assigned_unit,
            "assigned_person": self.assigned_person, "assignment_notice_no": self.assignment_notice_no,
            "assigned_at": self.assigned_at.map(canonical::time),
            "assignment_deadline": canonical::opt_date(self.assignment_deadline),
            "plan_measures": self.plan_measures, "plan_person": self.plan_person,
            "plan_funds_fen": self.plan_funds_fen, "plan_deadline": canonical::opt_date(self.plan_deadline),
            "plan_emergency": self.plan_emergency, "report_current_state": self.report_current_state,
            "report_harm": self.report_harm, "report_remediation": self.report_remediation,
            "report_congress_on": canonical::opt_date(self.report_congress_on),
            "reported_at": self.reported_at.map(canonical::time),
        });
        merge(&mut v, steps);
        // Only when set, so that the payload of every row written before merges existed is unchanged.
        if let Some(kept) = self.merged_into {
            merge(&mut v, json!({"merged_into": kept}));
        }
        v
    }
}

fn merge(into: &mut Value, from: Value) {
    if let (Some(into), Value::Object(from)) = (into.as_object_mut(), from) {
        into.extend(from);
    }
}

impl hazard::Model {
    /// The fields both payload versions share.
    fn common(&self) -> Value {
        json!({
            "id": self.id, "enterprise_id": self.enterprise_id, "subject_id": self.subject_id,
            "bureau_id": self.bureau_id, "sector": self.sector, "region_code": self.region_code,
            "source": self.source, "source_ref": self.source_ref, "reporter_name": self.reporter_name,
            "reporter_phone": self.reporter_phone, "reporter_user_id": self.reporter_user_id,
            "verification_outcome": self.verification_outcome, "reward": self.reward, "level": self.level,
            "closure": self.closure, "category": self.category, "title": self.title,
            "description": self.description, "location": self.location,
            "found_at": canonical::time(self.found_at), "deadline": canonical::opt_date(self.deadline),
            "checklist_item_code": self.checklist_item_code, "risk_point_id": self.risk_point_id,
            "status": self.status, "is_open": self.is_open, "suspended": self.suspended,
            "extension_until": canonical::opt_date(self.extension_until),
            "extension_reason": self.extension_reason, "rectified_by": self.rectified_by,
            "funds_spent": self.funds_spent, "created_by": self.created_by,
            "created_at": canonical::time(self.created_at), "updated_at": canonical::time(self.updated_at),
            "status_changed_at": canonical::time(self.status_changed_at),
            "closed_at": self.closed_at.map(canonical::time), "version": self.version,
        })
    }
}

impl Audited for hazard_event::Model {
    const ENTITY: &'static str = "hazard_event";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "hazard_id": self.hazard_id, "action": self.action,
            "from_status": self.from_status, "to_status": self.to_status, "actor_id": self.actor_id,
            "at": canonical::time(self.at), "note": self.note, "data": self.data,
        })
    }
}

impl Audited for hazard_subject::Model {
    const ENTITY: &'static str = "hazard_subject";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "bureau_id": self.bureau_id, "name": self.name, "address": self.address,
            "description": self.description, "region_code": self.region_code,
            "enterprise_id": self.enterprise_id, "status": self.status, "note": self.note,
            "created_at": canonical::time(self.created_at), "updated_at": canonical::time(self.updated_at),
            "version": self.version,
        })
    }
}

impl Audited for crate::entities::hazard_plan::Model {
    const ENTITY: &'static str = "hazard_plan";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "hazard_id": self.hazard_id, "version": self.version, "goals": self.goals,
            "measures": self.measures, "funds_fen": self.funds_fen, "materials": self.materials,
            "responsible_org": self.responsible_org, "responsible_person": self.responsible_person,
            "deadline": canonical::opt_date(Some(self.deadline)), "requirements": self.requirements,
            "safety_measures": self.safety_measures, "emergency_plan": self.emergency_plan,
            "signed_by_principal": self.signed_by_principal, "author_id": self.author_id,
            "event_id": self.event_id, "created_at": canonical::time(self.created_at),
        })
    }
}

impl Audited for crate::entities::hazard_review::Model {
    const ENTITY: &'static str = "hazard_review";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "hazard_id": self.hazard_id, "event_id": self.event_id,
            "reviewed_on": canonical::opt_date(Some(self.reviewed_on)), "reviewers": self.reviewers,
            "opinion": self.opinion, "passed": self.passed, "lift_suspension": self.lift_suspension,
            "author_id": self.author_id, "created_at": canonical::time(self.created_at),
        })
    }
}
